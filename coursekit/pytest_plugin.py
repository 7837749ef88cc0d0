"""The pytest plugin: ``pytest exercises/`` grades every registered exercise file, one test item per check.

Exercise files are not test files: this plugin collects exactly the files ``course.toml`` lists, and reports a
failed check as the check's own message (what was seen, what was expected, what to change), never a traceback.

A learner's first ``pytest exercises/`` fails every check of every exercise (about a hundred), and a hundred
failure sections bury the one thing to do next.  So a plain run (no ``-v``, no ``--tb``, no ``-r``, not in CI)
is *focused* (``focused``): the first unsolved exercise in course order is shown whole, as ``course check``
shows it (each explanation once, each picture once), and every other exercise takes one line.  The items are
unchanged, one test per check, so ``pytest -v``, ``--junitxml`` and CI see and report every check as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from coursekit._judge.messages import GRADER_BROKEN, TIMELINE_HEADING, explanation
from coursekit._view.text import picture_text
from coursekit.grading import GraderError, ReferenceCache, grade_exercise, load_grader
from coursekit.registry import Course, Exercise, find_root, load_course
from coursekit.results import CheckResult, ExerciseResult, Status

course_key = pytest.StashKey[Course | None]()
cache_key = pytest.StashKey[ReferenceCache]()
focus_key = pytest.StashKey[list["ExerciseFile"]]()  # set when the run is focused: its exercise files, in order
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI")
"""Set in a CI job: its log is read later and whole, so every check keeps its own failure section there."""


schedule_key = pytest.StashKey[int | None]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("coursekit", "course exercises")
    group.addoption("--schedule", type=int, default=None, dest="coursekit_schedule", metavar="N",
                    help="grade under schedule N only: replay the schedule a failure names")
    parser.addini("coursekit_schedule", "grade under this schedule only (as --schedule)", default="")


def _schedule_option(config: pytest.Config) -> int | None:
    value: int | None = config.getoption("coursekit_schedule")
    if value is None:
        ini = str(config.getini("coursekit_schedule") or "").strip()
        if ini and not ini.isdigit():
            raise pytest.UsageError(f"coursekit_schedule = {ini!r} in the pytest settings must be a whole number")
        value = int(ini) if ini else None
    if value is not None and value < 0:
        raise pytest.UsageError(f"--schedule {value}: schedules are numbered from 0")
    return value


def pytest_configure(config: pytest.Config) -> None:
    root = find_root(Path(str(config.rootpath)))
    config.stash[course_key] = load_course(root) if root is not None else None
    if root is not None:
        from coursekit._judge import runner

        runner.prestart()  # the runs' warm interpreter imports while pytest collects
    config.stash[cache_key] = ReferenceCache()
    config.stash[schedule_key] = _schedule_option(config)
    config.addinivalue_line("markers", "exercise(id): a check of a registered course exercise")


def _exercise_of(file_path: Path, parent: pytest.Collector) -> Exercise | None:
    course = parent.config.stash.get(course_key, None)
    if course is None or file_path.suffix != ".py":
        return None
    return course.by_path(file_path)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    # A file named on the command line is collected by pytest's own Python plugin as well (whatever its name),
    # which would *import* the student's code into pytest's process: that one goes through
    # ``pytest_pycollect_makemodule`` below instead, so each exercise file has exactly one collector.
    exercise = _exercise_of(file_path, parent)
    if exercise is None or parent.session.isinitpath(file_path):
        return None
    return ExerciseFile.from_parent(parent, path=file_path, exercise=exercise)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    exercise = _exercise_of(module_path, parent)
    if exercise is None:
        return None
    return ExerciseFile.from_parent(parent, path=module_path, exercise=exercise)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Exercises in course order (``pytest exercises/`` collects folders alphabetically: coroutines first), so
    that the first failures a learner reads are those of the first exercise.  Other items keep their places."""
    slots = [i for i, item in enumerate(items) if isinstance(item, CheckItem)]
    checks = [item for item in items if isinstance(item, CheckItem)]
    ordered = sorted(checks, key=lambda item: item.exercise_file.exercise.order)  # (sorted is stable)
    for i, item in zip(slots, ordered, strict=True):
        items[i] = item
    if checks and len(checks) == len(items) and focused(config):
        config.stash[focus_key] = list(dict.fromkeys(item.exercise_file for item in ordered))
        config.option.tbstyle = "no"  # the failure sections: the focused summary says it instead
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.reportchars = reporter.reportchars.replace("f", "")  # and one FAILED line per check


def focused(config: pytest.Config) -> bool:
    """Whether this run shows the first unsolved exercise whole and the others one line each: a plain run (no
    ``-v``, ``--tb`` or ``-r`` asked for), outside CI."""
    plain = (config.option.verbose <= 0 and config.option.tbstyle == "auto"
             and config.option.reportchars in ("fE", "") and not config.option.collectonly)
    return plain and not any(os.environ.get(name) for name in CI_VARIABLES)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    files = config.stash.get(focus_key, None)
    if files is None:
        return
    from coursekit._view.focus import focused_summary

    writer = config.get_terminal_writer()
    results = [(f.exercise, f.result()) for f in files if f.graded]
    errors = [f"{report.nodeid}: {report.longreprtext}" for report in terminalreporter.stats.get("error", [])]
    errors += [f"{f.exercise.id}: {GRADER_BROKEN} {f.grader_error}" for f in files if f.grader_error]
    text = focused_summary(results, errors=errors, width=max(60, min(writer.fullwidth, 160)),
                           colour=writer.hasmarkup, unicode=_unicode(writer.hasmarkup))
    if text:
        terminalreporter.write_sep("=", "what to do next")
        terminalreporter.write_line(text)


def _unicode(colour: bool) -> bool:
    """Box characters when writing to a terminal that can show them; plain ASCII otherwise."""
    stream = sys.__stdout__
    return colour or bool(stream is not None and stream.isatty() and os.environ.get("TERM") != "dumb")


class CheckFailed(Exception):
    def __init__(self, result: CheckResult) -> None:
        super().__init__(result.message)
        self.result = result


class ExerciseFile(pytest.File):
    def __init__(self, *, exercise: Exercise, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.exercise = exercise
        self._result: ExerciseResult | None = None
        self.graded = False  # one of its checks ran (a run of some of them, `-k`, grades only those)
        self.grader_error = ""  # why grading it failed (the grader's fault, never the student's)
        self.shown: dict[str, str] = {}  # a message or picture already shown for this file -> the check it was under

    def collect(self) -> Any:
        grader = load_grader(self.exercise)
        budget = self.exercise.limits.wall_s * 3 + 60
        for check in grader.checks:
            item = CheckItem.from_parent(self, name=check.name, check_title=check.title)
            item.add_marker(pytest.mark.exercise(self.exercise.id))
            item.add_marker(pytest.mark.timeout(budget))
            yield item

    def result(self) -> ExerciseResult:
        if self._result is None:
            try:
                self._result = grade_exercise(self.exercise, self.path, cache=self.config.stash[cache_key],
                                              schedule=self.config.stash[schedule_key])
            except GraderError as exc:
                self.grader_error = str(exc)
                raise
            self.graded = True
        return self._result


class CheckItem(pytest.Item):
    def __init__(self, *, check_title: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check_title = check_title

    @property
    def exercise_file(self) -> ExerciseFile:
        assert isinstance(self.parent, ExerciseFile)
        return self.parent

    def runtest(self) -> None:
        for result in self.exercise_file.result().checks:
            if result.name == self.name and result.status is not Status.PASSED:
                raise CheckFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CheckFailed):
            r = excinfo.value.result
            text = f"[{self.name}] {r.title}\n\n{self._once(explanation(r), 'the same as')}"
            if r.lanes:
                drawing = self._picture(r)
                shown = self._once(drawing, "the same timeline as")
                text += f"\n\n{TIMELINE_HEADING}\n{drawing}" if shown == drawing else f"\n\n{shown}"
            return text
        if isinstance(excinfo.value, GraderError):
            return f"{GRADER_BROKEN}\n{excinfo.value}"
        return str(super().repr_failure(excinfo, style=style))

    def _once(self, text: str, same: str) -> str:
        """``text`` the first time this file's failures show it; later, a pointer to where it was shown (one
        mistake often fails several checks, and the same explanation and picture under each would bury it)."""
        first = self.exercise_file.shown.setdefault(text, self.name)
        return text if first == self.name else f"({same} [{first}] above)"

    def _picture(self, result: CheckResult) -> str:
        """Box characters and colour when pytest writes to a terminal with colour; plain ASCII otherwise."""
        writer = self.config.get_terminal_writer()
        colour = writer.hasmarkup  # pytest's own answer: a terminal, and neither NO_COLOR nor PY_COLORS=0
        unicode = _unicode(colour)
        width = max(72, min(writer.fullwidth, 160))
        return picture_text(result.lanes, width=width, unicode=unicode, color=colour)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.exercise_file.exercise.id} :: {self.name} ({self.check_title})"
