"""Grade one exercise: run the submission and the reference solution under the same harness, apply the checks.

A submission is run once per tie policy of its model (threads and asyncio: simultaneous events first-come and
last-come), and a check passes only if it passes every time: a program that is right only by luck of the
order of simultaneous events is not right.

Light at the top on purpose: every grader starts with ``from coursekit.grading import Grader``, and a grader with
a driver is imported inside the student's process.  So this module's top level imports only what ``Grader`` and
``GraderError`` need; the judge (runner, timeline, picture, messages, views) is imported where a grading runs
(``grade_exercise``, ``ReferenceCache.get``).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import importlib.util
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coursekit._engine.exploration import LIFO, PCT, ROUND_ROBIN, Schedule, schedules_for
from coursekit._judge.diagnose import diagnose
from coursekit.checks import Check, Verdict
from coursekit.checks import _evidence as evidence
from coursekit.models import MODELS
from coursekit.results import CheckResult, ExerciseResult, Status

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline
    from coursekit.registry import Exercise

TIE_POLICIES: dict[str, tuple[str, ...]] = {m.name: m.ties for m in MODELS.values()}
"""The tie policies each model's runs are judged under (``coursekit.models``)."""


@dataclass(frozen=True)
class Grader:
    """What a grader module (``graders/<id>.py``) defines as ``grader``: its checks and how to call the code."""

    checks: tuple[Check, ...]
    call: str = "main"
    args: tuple[Any, ...] = ()
    driver: Callable[[Any], Any] | None = None
    """A function of the grader module that gets the student's module and calls it (in the student's process,
    under the harness), for exercises graded through several calls: it replaces ``call(*args)``. What it
    prints and returns is observed exactly like the output of ``main()``; the reference runs the same driver."""
    work: tuple[str, ...] = ()
    """The functions that are the work (``("fetch",)``, ``("Channel.send",)``): every call of them is recorded,
    in the student's module or, failing that, the driver's (``coursekit._engine.work``), and compared with the
    reference's by the ``work`` check (``checks.Work``); a run that calls none of them shows none of the work."""
    path: Path | None = None  # the grader file (set by load_grader)

    def __post_init__(self) -> None:
        names = [c.name for c in self.checks]
        if len(set(names)) != len(names):
            raise ValueError(f"a grader lists check names twice: {names}")


class GraderError(Exception):
    """The grader or the reference solution is broken: the instructor's problem, never the student's."""


def load_grader(exercise: Exercise) -> Grader:
    path = exercise.grader_path
    if not path.is_file():
        raise GraderError(f"{exercise.id}: no grader at {path}; create it (see README, 'Writing an exercise')")
    spec = importlib.util.spec_from_file_location(f"coursekit_grader_{exercise.id.replace('/', '_')}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    grader = getattr(module, "grader", None)
    if not isinstance(grader, Grader):
        raise GraderError(f"{path}: must define `grader = Grader(checks=(...))`")
    names = {c.name for c in grader.checks}
    if names != set(exercise.points):
        raise GraderError(f"{exercise.id}: the grader's checks {sorted(names)} and the points in course.toml "
                          f"{sorted(exercise.points)} must name the same checks")
    if grader.driver is not None and getattr(module, grader.driver.__name__, None) is not grader.driver:
        raise GraderError(f"{path}: the driver {grader.driver.__name__}() must be a top-level function of the grader")
    return dataclasses.replace(grader, path=path)


REFERENCE_STORE = Path(".course") / "references"
"""Where ``course check``, ``watch`` and ``pytest`` keep reference runs between invocations (under the course
folder, git-ignored): one file per exercise, solution, grader, limits, kit and Python."""


class ReferenceCache:
    """Reference timelines, computed once per solution content (thread-safe).

    ``persist``: also keep each reference run in the course's ``REFERENCE_STORE`` and take it from there next
    time.  Why: a learner's ``course check`` ran the reference solution beside their file every time, costing a
    run's CPU on a two-core laptop for an answer that changes only when the course or the kit does.  Bulk
    grading never persists: it runs every reference afresh, before any student's run."""

    def __init__(self, *, persist: bool = False) -> None:
        self.persist = persist
        self._data: dict[tuple[str, str], Timeline] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[str, str], threading.Lock] = {}  # one run per key; other keys run alongside

    def get(self, exercise: Exercise, grader: Grader) -> Timeline:
        digest = hashlib.sha256(exercise.solution_path.read_bytes()
                                + (grader.path.read_bytes() if grader.path else b"")).hexdigest()
        key = (exercise.id, digest)
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            if key not in self._data:
                tl = self._stored_or_run(exercise, grader)
                if not tl.completed or tl.crashes or tl.errors or not tl.lines:
                    raise GraderError(f"{exercise.id}: the reference solution {exercise.solution_path} did not run "
                                      f"cleanly under the harness (crashes: {tl.crashes}, errors: {tl.errors})")
                tamper = diagnose(tl, only={"tamper"})
                if tamper:  # bulk grading's guard refused something the reference itself does
                    raise GraderError(f"{exercise.id}: the reference solution trips the bulk-grading guard "
                                      f"(coursekit/_engine/guard.py): {tamper[0].what}")
                self._data[key] = tl
            return self._data[key]

    def _stored_or_run(self, exercise: Exercise, grader: Grader) -> Timeline:
        import json
        import os
        import sys

        from coursekit._judge import runner
        from coursekit._judge.fingerprint import kit_fingerprint
        from coursekit._judge.timeline import build

        spec = _spec(exercise, grader, exercise.solution_path, "fifo")
        if not self.persist:
            return build(runner.run(spec))
        key = hashlib.sha256(json.dumps({
            "kit": kit_fingerprint(), "python": sys.version, "exercise": exercise.id,
            "limits": dataclasses.asdict(exercise.limits),
            "solution": hashlib.sha256(exercise.solution_path.read_bytes()).hexdigest(),
            "grader": hashlib.sha256(grader.path.read_bytes()).hexdigest() if grader.path else "",
        }, sort_keys=True).encode()).hexdigest()
        path = exercise.root / REFERENCE_STORE / f"{key[:32]}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            raw = runner.RawRun(spec=spec, events={int(pid): evs for pid, evs in data["events"].items()},
                                root_pid=int(data["root_pid"]), status=dict(data["status"]),
                                stdout=str(data["stdout"]), stderr=str(data["stderr"]))
            return build(raw)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # none yet, or unreadable: run it
        raw = runner.run(spec)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps({"events": raw.events, "root_pid": raw.root_pid, "status": raw.status,
                                       "stdout": raw.stdout, "stderr": raw.stderr}), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only course folder: the next check runs it again
        return build(raw)


_default_cache = ReferenceCache(persist=True)


def _spec(exercise: Exercise, grader: Grader, path: Path, tie: str) -> Any:
    from coursekit._judge import runner

    driver = (grader.path, grader.driver.__name__) if grader.driver is not None and grader.path else None
    return runner.RunSpec(exercise.model, path, grader.call, grader.args, tie, exercise.limits, driver, grader.work)


def _observe(exercise: Exercise, grader: Grader, path: Path, tie: str) -> Timeline:
    from coursekit._judge import runner
    from coursekit._judge.timeline import build

    return build(runner.run(_spec(exercise, grader, path, tie)))


def schedules_of(exercise: Exercise, steps: int = 0) -> tuple[Schedule, ...]:
    """The schedules ``exercise``'s submissions are run under (``limits.schedules`` of them, at least its ties)."""
    model = MODELS[exercise.model]
    count = max(exercise.limits.schedules, len(model.ties))
    return schedules_for(count, explores=model.explores, steps=steps, ties=model.ties)


def _observe_each(exercise: Exercise, grader: Grader, path: Path, schedules: list[Schedule]) \
        -> list[tuple[Schedule, Timeline]]:
    """Run ``path`` under each of ``schedules``: from one import, each schedule in a forked copy of the harness
    (``runner.RunSpec.schedules``), when there are several.  A schedule the harness did not run (one before it
    was stopped for a busy loop) is left out; a program that ended before any schedule (it did not import)
    gives that one run, as schedule 0's."""
    from coursekit._judge import runner
    from coursekit._judge.exploring import ran_under
    from coursekit._judge.timeline import build

    if len(schedules) == 1:
        return [(schedules[0], _observe(exercise, grader, path, schedules[0].spec()))]
    driver = (grader.path, grader.driver.__name__) if grader.driver is not None and grader.path else None
    specs = tuple(s.spec() for s in schedules)
    raw = runner.run(runner.RunSpec(exercise.model, path, grader.call, grader.args, specs[0], exercise.limits, driver,
                                    grader.work, schedules=specs))
    runs = [(s, build(fork)) for s, fork in zip(schedules, raw.forks, strict=True) if fork is not None]
    return [(ran_under(tl, s), tl) for s, tl in runs] or [(schedules[0], build(raw))]


def grade_exercise(exercise: Exercise, submission: Path | None = None, *,
                   cache: ReferenceCache | None = None, schedule: int | None = None) -> ExerciseResult:
    """Grade ``submission`` (default: the student's file in ``exercises/``) against the reference.

    The submission runs under every schedule of ``schedules_of`` (``schedule``: that one only, to replay a
    failure), all from one import (``_observe_each``), and a check passes only if it passes under each."""
    path = submission if submission is not None else exercise.exercise_path
    grader = load_grader(exercise)
    cache = cache or _default_cache
    planned = schedules_of(exercise)
    if schedule is not None:
        if not 0 <= schedule < len(planned):
            raise GraderError(f"{exercise.id}: there is no schedule {schedule}; its schedules are 0 to "
                              f"{len(planned) - 1} (limits.schedules in course.toml)")
        wanted = planned[schedule]  # a PCT schedule takes its steps from the round-robin run: run that one too
        planned = tuple(s for s in planned if s.number == schedule or (s.kind == ROUND_ROBIN and wanted.kind == PCT))
    from concurrent.futures import ThreadPoolExecutor  # (not at import: a run's harness imports this module)

    with ThreadPoolExecutor(max_workers=2) as pool:
        expected_f = pool.submit(cache.get, exercise, grader)
        runs = _observe_each(exercise, grader, path, list(planned))
        expected = expected_f.result()
    if schedule is not None:
        runs = [(s, tl) for s, tl in runs if s.number == schedule] or runs[:1]
    observed = [tl for _, tl in runs]
    info = run_info(observed)
    tampered = [f for tl in observed for f in diagnose(tl, only={"tamper"})][:1]
    unwritten = tampered or [f for f in diagnose(observed[0], only={"not-implemented", "syntax", "missing"})]
    if unwritten:  # one short message, the same for every check: there is nothing else to say yet
        message = "\n".join(f.text() for f in unwritten)
        return ExerciseResult(exercise.id, [
            CheckResult(c.name, c.title, Status.FAILED, 0.0, exercise.points[c.name], message,
                        findings=tuple(f.kind for f in unwritten)) for c in grader.checks],
            info)
    failures = _failures(grader.checks, runs, expected)
    info["schedules"] = len(runs)
    results = _results(exercise, grader, failures, expected, path)
    observed = [tl for _, tl in runs]
    nothing = evidence.work_missing(observed, expected)
    if nothing or not _did_any_work(observed, expected):
        results = _no_credit(results, expected, nothing)
    return ExerciseResult(exercise.id, results, info)


Failure = tuple["Schedule", "Timeline", Verdict]


def _failures(checks: Any, runs: list[tuple[Schedule, Timeline]], expected: Timeline,
              known: dict[str, Failure] | None = None) -> dict[str, Failure]:
    """Each check that fails under one of ``runs`` -> the first such run and its verdict (added to ``known``)."""
    failures = dict(known or {})
    for check in checks:
        for sched, tl in runs:
            if check.shape and sched.preempts:  # explored schedules look for races, not for the run's shape
                continue
            verdict = check.evaluate(tl, expected)
            gap = evidence.missing(check.needs, tl, expected) if verdict.passed else ""
            if gap:  # passed with nothing to judge: no vacuous credit (a failure keeps its own message)
                verdict = Verdict(False, gap)
            if not verdict.passed:
                failures[check.name] = (sched, tl, verdict)
                break
    return failures


def _results(exercise: Exercise, grader: Grader, failures: dict[str, Failure], expected: Timeline,
             path: Path) -> list[CheckResult]:
    from coursekit._judge.exploring import replay_hint, story
    from coursekit._judge.messages import failure_message
    from coursekit._judge.picture import summarize, worth_drawing
    from coursekit._view.text import picture_text

    results = []
    pictures: dict[int, tuple[dict[str, Any], str]] = {}
    for check in grader.checks:
        max_points = exercise.points[check.name]
        if check.name not in failures:
            results.append(CheckResult(check.name, check.title, Status.PASSED, max_points, max_points))
            continue
        sched, tl, verdict = failures[check.name]
        note = ""
        if sched.kind == LIFO:
            note = ("(This showed when lines due at the same moment came in the other order: a correct program "
                    "must be right whichever order they come in.)")
        elif sched.number > 0:
            note = story(tl, sched, path)
        if sched.number > 0:
            note += "\n" + replay_hint(exercise.id, sched)
        if sched.number not in pictures:  # the same run for every check that failed under it: draw it once
            picture = summarize(tl, expected)
            picture = picture if worth_drawing(picture) else {}  # a 0-second run: the words say more
            pictures[sched.number] = (picture, picture_text(picture) if picture else "")
        picture, drawing = pictures[sched.number]
        message = failure_message(verdict, note=note, drawing=drawing)
        results.append(CheckResult(check.name, check.title, Status.FAILED, 0.0, max_points, message,
                                   timeline=drawing, lanes=picture, findings=tuple(f.kind for f in verdict.findings)))
    return results


def _did_any_work(observed: list[Timeline], expected: Timeline) -> bool:
    """Whether the runs show any of the reference's work: one of its lines (or a close variant, e.g. a line of the
    grader's driver carrying a wrong value), or its return value."""
    texts = {e.text for e in expected.lines}
    printed = {x.text for tl in observed for x in tl.lines}
    if printed & texts or any(difflib.get_close_matches(t, texts, n=1, cutoff=0.75) for t in list(printed)[:200]):
        return True
    if expected.result not in (None, "None") and any(tl.result == expected.result for tl in observed):
        return True
    return not texts and expected.result in (None, "None")  # the reference itself shows nothing to look for


def _no_credit(results: list[CheckResult], expected: Timeline, why: str = "") -> list[CheckResult]:
    """No credit without any of the work: a run that printed none of the expected lines (a program that does
    nothing, prints something else entirely, or fakes a test report), or that shows none of the reference's work
    (no worker of its own, none of the workers' lines, no call of the named work: ``why``, from
    ``coursekit.checks._evidence.work_missing``), passes no check, however vacuously true some of them are
    (nothing crashed, nothing was left running, the right constant returned).  Failed checks keep their own
    messages."""
    example = f" (such as {expected.lines[0].text!r})" if expected.lines else ""
    message = why or (f"No credit: your program printed none of the lines this exercise expects{example} and did "
                      "not return its result, so there is no work for this check to credit.")
    return [dataclasses.replace(r, status=Status.FAILED, points=0.0, message=message) if r.status is Status.PASSED
            else r for r in results]


def run_info(observed: list[Timeline]) -> dict[str, Any]:
    """Facts about the runs themselves (not verdicts), for class reports: cut short, tampering, isolation."""
    info: dict[str, Any] = {
        "timed_out": any(tl.status.get("timed_out") or tl.status.get("supervisor_lost") for tl in observed),
        "completed": all(tl.completed for tl in observed),
        "tampered": any(diagnose(tl, only={"tamper"}) for tl in observed),
    }
    if "sandbox" in observed[0].status:
        info["sandbox"] = observed[0].status["sandbox"]
    return info
