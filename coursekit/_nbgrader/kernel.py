"""What the generated notebooks run in their kernel: the ``%%answer`` cell magic and the grade cells' ``check``.

Loaded by the notebook's read-only setup cell (``%load_ext coursekit._nbgrader.kernel``).

``%%answer ID`` (the first line of the answer cell) saves the cell as ``<name>.py`` beside the notebook, so that
child processes and a fresh interpreter can import it, remembers it for grading, then runs it here as that
module would be imported (``__name__`` is the module's name while it runs, so ``if __name__ == "__main__":``
demos do not start in the kernel, as they do not when the grader imports the file).

``check(ID, CHECK, points)`` (one read-only grade cell per check) grades the remembered answer once with the
kit's own engine in a fresh interpreter (``python -m coursekit._nbgrader.grade``), never in this kernel: the
kernel runs its own asyncio loop and notebook functions cannot be pickled for spawned processes.  It prints
the check's verdict on stdout and returns the points earned as a number, which nbgrader reads as the cell's
(partial) score; it writes nothing to stderr, which nbgrader would score as 0.  An answer cell that was stopped
(nbgrader's cell timeout interrupts it) scores 0 in every check without being graded.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.results import ExerciseResult, Status

GRADING_DIR = "grading"
"""The folder beside ``nbgrader_config.py`` where ``course nbgrader build`` copies what grading needs."""
ENV_VAR = "COURSEKIT_NBGRADER_COURSE"
"""Names that folder explicitly, for layouts where the notebook does not run inside the nbgrader course."""


class AnswerState(enum.Enum):
    """How the last run of an answer cell ended; only a cell that ran to its end (even with an error) is graded."""

    RUNNING = "running"  # still running, or killed mid-way without IPython noticing
    FINISHED = "finished"
    FAILED = "failed"  # it raised: still graded (the grader sees the same error)
    STOPPED = "stopped"  # interrupted (nbgrader's cell timeout): never graded


@dataclass
class _Answer:
    exercise: str
    source: str
    state: AnswerState


_answers: dict[str, _Answer] = {}
_graded: dict[tuple[str, str, str], ExerciseResult] = {}


def module_name(exercise_id: str) -> str:
    return exercise_id.rsplit("/", 1)[-1]


def module_text(exercise_id: str, cell: str) -> str:
    """The module made of an answer cell: a first comment line stands for the ``%%answer`` line, so that the
    line numbers in grading messages (``numbers_letters_threads.py:12``) are the cell's own line numbers."""
    return f"# %%answer {exercise_id}: this file is a copy of the answer cell; edit the notebook, not this file\n{cell}"


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magic_function(_answer_magic, magic_kind="cell", magic_name="answer")


def _answer_magic(line: str, cell: str) -> None:
    """%%answer EXERCISE_ID: save this cell as the exercise's module, remember it for grading, and run it."""
    from IPython import get_ipython  # only ever called inside IPython

    exercise_id = line.strip()
    if not exercise_id:
        print("%%answer needs the exercise id, e.g. %%answer threads/numbers_letters_threads: put it back as it was.")
        return
    name = module_name(exercise_id)
    answer = _answers[exercise_id] = _Answer(exercise_id, module_text(exercise_id, cell), AnswerState.RUNNING)
    try:
        Path(f"{name}.py").write_text(answer.source, encoding="utf-8")
    except OSError:  # a read-only folder: the notebook still works, only the module file is missing
        pass
    shell = get_ipython()
    saved_name = shell.user_ns.get("__name__")
    shell.user_ns["__name__"] = name
    try:
        result = shell.run_cell(cell, store_history=False)
    finally:
        shell.user_ns["__name__"] = saved_name
    error = result.error_before_exec or result.error_in_exec
    answer.state = (AnswerState.STOPPED if isinstance(error, KeyboardInterrupt) else AnswerState.FAILED if error
                    else AnswerState.FINISHED)


def check(exercise_id: str, check_name: str, points: float) -> float:
    """Grade cell body: print the verdict of one check of the answer, and return the points it earned."""
    answer = _answers.get(exercise_id)
    if answer is None:
        print(f"No answer was recorded: run the answer cell (the one that starts with %%answer {exercise_id}) "
              "first, and keep that first line as it is.")
        return 0.0
    if answer.state in (AnswerState.RUNNING, AnswerState.STOPPED):
        print("Your answer cell was stopped before it finished: it ran too long (or was interrupted). "
              "Remove code at the top level of the cell that runs forever, for example a call of main() "
              "or a loop; define the functions only.")
        return 0.0
    result = _grade(answer)
    found = [c for c in result.checks if c.name == check_name]
    if not found:
        raise RuntimeError(f"the grader of {exercise_id} has no check named {check_name!r} (it has "
                           f"{[c.name for c in result.checks]}): rebuild the notebooks with course nbgrader "
                           "build, then nbgrader generate_assignment --force")
    verdict = found[0]
    earned = points * (verdict.points / verdict.max_points if verdict.max_points else 1.0)
    mark = "PASS" if verdict.status is Status.PASSED else "FAIL"
    print(f"{mark} [{verdict.name}] {verdict.title}: {earned:g}/{points:g}")
    if verdict.message and mark == "FAIL":
        print(verdict.message)
    return float(earned)


def _grade(answer: _Answer) -> ExerciseResult:
    """The kit's grading of the answer (sent as ``ExerciseResult.to_dict()``); computed once per answer text."""
    course = grading_course()
    key = (str(course), answer.exercise, hashlib.sha256(answer.source.encode("utf-8")).hexdigest())
    if key not in _graded:
        with tempfile.TemporaryDirectory(prefix="coursekit-nbgrader-") as tmp:
            module = Path(tmp) / f"{module_name(answer.exercise)}.py"
            module.write_text(answer.source, encoding="utf-8")
            proc = subprocess.run(
                [sys.executable, "-m", "coursekit._nbgrader.grade", str(course), answer.exercise, str(module)],
                stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=tmp, env=_grading_env(), check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"grading {answer.exercise} failed (the instructor's setup, not your answer): "
                               f"{proc.stderr.strip()[-2000:] or proc.stdout.strip()[-2000:]}")
        _graded[key] = ExerciseResult.from_dict(json.loads(proc.stdout), f"the grading of {answer.exercise}")
    return _graded[key]


def _grading_env() -> dict[str, str]:
    """The kernel's environment without the kernel's own Python settings (the grader sets its own)."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONSTARTUP", "MPLBACKEND")}


def grading_course(start: Path | None = None) -> Path:
    """The course copy that grades these notebooks: $COURSEKIT_NBGRADER_COURSE, or ``grading/`` beside the
    ``nbgrader_config.py`` of the nbgrader course this notebook is in (source/, autograded/<student>/, ...)."""
    if os.environ.get(ENV_VAR):
        path = Path(os.environ[ENV_VAR]).expanduser()
        if not (path / "course.toml").is_file():
            raise RuntimeError(f"{ENV_VAR}={os.environ[ENV_VAR]!r} has no course.toml: point it at the grading/ "
                               "folder that course nbgrader build wrote")
        return path.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "nbgrader_config.py").is_file() and (folder / GRADING_DIR / "course.toml").is_file():
            return folder / GRADING_DIR
    raise RuntimeError(f"the course's graders were not found: looked for {GRADING_DIR}/course.toml beside an "
                       f"nbgrader_config.py in {here} and above. These tests run where the instructor grades "
                       f"(the folder written by course nbgrader build), or set {ENV_VAR}.")
