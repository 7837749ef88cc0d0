"""Grade a whole class: intake, a cache of verdicts, parallel sandboxed runs, and the class's results.

Each (submission file, exercise) is graded by ``grading.grade_exercise`` exactly as ``course check`` would, but
sandboxed (``coursekit/_judge/sandbox.py``) and in parallel.  Verdicts are cached under ``RESULTS/.cache`` by a key
made of the file's content, the exercise's settings, the reference solution and grader, and the kit itself
(its version and source), so a re-run only grades what changed; ``force`` ignores the cache.  Two students
who hand in the same file share one grading.  ``select`` grades only some of the students intake found (one
shard of the class, ``coursekit/_bulk/shards.py``); the others are still counted in ``ClassResult.roster``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit._bulk.intake import Submission, collect
from coursekit._judge import runner
from coursekit._judge.fingerprint import kit_fingerprint
from coursekit._judge.sandbox import IsolationRefused, Sandbox
from coursekit._practice.progress import file_digest
from coursekit._practice.select import SelectionError, select_exercises
from coursekit.grading import Grader, GraderError, ReferenceCache, grade_exercise, load_grader
from coursekit.registry import Course, Exercise
from coursekit.results import CheckResult, ExerciseResult, Status

CACHE_DIR = ".cache"
CACHE_VERSION = 1


class BulkError(Exception):
    """Grading could not run (bad arguments, a broken grader or reference): the instructor's problem."""


@dataclass
class StudentResult:
    student: str
    submission: Submission
    exercises: dict[str, ExerciseResult] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)  # exercise id -> graded | cached | not submitted | rejected
    # | regrade (the machine failed the run: graded again next time) | error
    seconds: float = 0.0
    keys: dict[str, str] = field(default_factory=dict)  # exercise id -> cache key of the verdict (graded files only)

    @property
    def total(self) -> float:
        return sum(r.score for r in self.exercises.values())


@dataclass
class ClassResult:
    course: Course
    exercises: list[Exercise]
    graders: dict[str, Grader]
    students: list[StudentResult]
    notes: list[str]
    graded: int = 0
    reused: int = 0
    internal_errors: int = 0
    regrades: int = 0  # files not gradable this time (the machine failed their run): never cached, graded again
    seconds: float = 0.0
    roster: tuple[str, ...] = ()  # every student id intake found, graded here or not (sorted)
    unsafe: bool = False  # graded with --unsafe: student code may have run as root

    @property
    def max_total(self) -> float:
        return sum(ex.max_points for ex in self.exercises)

    @property
    def handed_in(self) -> int:
        """Files the students handed in, once per student: ``graded`` and ``reused`` count identical files once,
        so they alone would under-report a class that shares files (29 handed in, "graded 21")."""
        return sum(1 for sr in self.students for how in sr.how.values() if how != "not submitted")

    @property
    def distinct(self) -> int:
        """Distinct gradable files among those handed in: each is graded (or reused) once, whoever handed it in."""
        return len({key for sr in self.students for key in sr.keys.values()})

    @property
    def rejected(self) -> int:
        """Files handed in that intake refused (malformed, misplaced): they score 0 without being run."""
        return sum(1 for sr in self.students for how in sr.how.values() if how == "rejected")

    def protections(self) -> dict[str, Any]:
        """The isolation the runs actually had (the weakest one seen, if they differ)."""
        seen = [r.run_info["sandbox"] for s in self.students for r in s.exercises.values()
                if r.run_info.get("sandbox")]
        order = ["limits", "userns", "userns-root", "uid", "namespaces"]
        return min(seen, key=lambda sb: order.index(sb.get("level", "limits"))) if seen else {}


def _placeholder(exercise: Exercise, grader: Grader, message: str) -> ExerciseResult:
    """Zero on every check with one message (nothing submitted, or a file that could not be graded)."""
    return ExerciseResult(exercise.id, [
        CheckResult(c.name, c.title, Status.FAILED, 0.0, exercise.points[c.name], message) for c in grader.checks])


def load_graders(exercises: list[Exercise]) -> dict[str, Grader]:
    """Every exercise's grader by id; a ``BulkError`` (the instructor's to fix) for the first that cannot load."""
    graders: dict[str, Grader] = {}
    for ex in exercises:
        try:
            graders[ex.id] = load_grader(ex)
        except GraderError as exc:
            raise BulkError(str(exc)) from None
    return graders


def grade_class(course: Course, submissions: Path, out: Path, *, jobs: int | None = None,
                exercise_ids: tuple[str, ...] = (), timeout: float | None = None, force: bool = False,
                progress: Callable[[int, int], None] | None = None, match_names: bool = False,
                on_start: Callable[[int], None] | None = None,
                select: Callable[[str], bool] | None = None, unsafe: bool = False) -> ClassResult:
    """Grade every student of ``submissions`` (those ``select`` keeps, if given); cache under ``out``.

    Raises ``BulkError`` if it cannot run."""
    start = time.monotonic()
    if not submissions.is_dir():
        raise BulkError(f"{submissions}: not a folder of submissions (one folder or .zip per student)")
    exercises = _select(course, exercise_ids)
    if timeout is not None:
        if timeout <= 0:
            raise BulkError(f"--timeout must be a positive number of seconds, not {timeout}")
        exercises = [dataclasses.replace(ex, limits=dataclasses.replace(ex.limits, wall_s=float(timeout)))
                     for ex in exercises]
    graders = load_graders(exercises)
    out.mkdir(parents=True, exist_ok=True)
    cache_dir = out / CACHE_DIR
    cache_dir.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="coursekit-intake-"))
    try:
        intake = collect(submissions, exercises, staging, match_names=match_names)
        result = ClassResult(course, exercises, graders, [], intake.notes,
                             roster=tuple(sub.student for sub in intake.students), unsafe=unsafe)
        kit = kit_fingerprint() + ("+unsafe" if unsafe else "")  # a verdict graded as root is not reused safely
        keys: dict[str, tuple[Exercise, Path]] = {}
        wanted: list[tuple[StudentResult, Exercise, str]] = []
        for sub in intake.students:
            if select is not None and not select(sub.student):
                continue
            sr = StudentResult(sub.student, sub)
            result.students.append(sr)
            for ex in exercises:
                if ex.id in sub.rejected:
                    sr.exercises[ex.id] = _placeholder(ex, graders[ex.id], sub.rejected[ex.id])
                    sr.how[ex.id] = "rejected"
                elif ex.id not in sub.files:
                    sr.exercises[ex.id] = _placeholder(
                        ex, graders[ex.id], f"Not submitted: there was no file {ex.id}.py in your submission.")
                    sr.how[ex.id] = "not submitted"
                else:
                    accepted = sub.files[ex.id]
                    key = _cache_key(kit, ex, graders[ex.id], accepted.digest)
                    keys.setdefault(key, (ex, accepted.path))
                    wanted.append((sr, ex, key))
                    sr.keys[ex.id] = key
        verdicts: dict[str, tuple[ExerciseResult, float, str]] = {}
        todo = []
        for key in keys:
            cached = None if force else _read_cache(cache_dir / f"{key}.json")
            if cached is not None:
                verdicts[key] = (*cached, "cached")
            else:
                todo.append(key)
        result.reused = len(keys) - len(todo)
        if on_start is not None:
            on_start(len(todo))
        try:  # refuses (IsolationRefused) to run student code as root unless ``unsafe``
            runner.use_sandbox(Sandbox(hide=(course.root, submissions.resolve(), out.resolve(), staging),
                                       unsafe=unsafe))
        except IsolationRefused as exc:
            raise BulkError(str(exc)) from None
        except runner.InfrastructureError as exc:  # the trial run itself: nothing can be graded on this machine now
            raise BulkError(f"The grading machine could not run a trial program ({exc}); try again.") from None
        try:
            _grade_all(todo, keys, verdicts, cache_dir, jobs or os.cpu_count() or 1, result, progress)
        finally:
            runner.use_sandbox(None)
        result.graded = len(todo)
        for sr, ex, key in wanted:
            verdict, seconds, how = verdicts[key]
            sr.exercises[ex.id] = verdict
            sr.how[ex.id] = how
            sr.seconds += seconds
        result.seconds = time.monotonic() - start
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _select(course: Course, exercise_ids: tuple[str, ...]) -> list[Exercise]:
    """The exercises ``--exercise`` names (any form ``course check`` takes), in course order; all without one."""
    try:
        return sorted(select_exercises(course, exercise_ids), key=lambda e: e.order)
    except SelectionError as exc:
        raise BulkError(f"--exercise: {exc} (the exercises are those listed in course.toml)") from None


def _cache_key(kit: str, ex: Exercise, grader: Grader, content_digest: str) -> str:
    data = {
        "v": CACHE_VERSION, "kit": kit, "exercise": ex.id, "model": ex.model, "points": ex.points,
        "limits": dataclasses.asdict(ex.limits), "solution": file_digest(ex.solution_path),
        "grader": file_digest(grader.path), "submission": content_digest,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _read_cache(path: Path) -> tuple[ExerciseResult, float] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ExerciseResult.from_dict(data["result"], where=f"the cache entry {path}"), float(data["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(path: Path, result: ExerciseResult, seconds: float) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"result": result.to_dict(), "seconds": seconds}), encoding="utf-8")
    os.replace(tmp, path)


REFERENCE_ATTEMPTS = 3


def _regrade(ex: Exercise, grader: Grader, why: str) -> ExerciseResult:
    """Not gradable this time (the machine failed the run): no points, no verdict, never cached."""
    message = ("Not graded yet: the grading machine failed during this run, which is not your fault and says "
               "nothing about your program. This file will be graded again.")
    return ExerciseResult(ex.id, [
        CheckResult(c.name, c.title, Status.ERROR, 0.0, ex.points[c.name], message) for c in grader.checks],
        {"regrade": True, "infrastructure": why[:500]})


def _references_first(todo: list[str], keys: dict[str, tuple[Exercise, Path]], graders: dict[str, Grader],
                      references: ReferenceCache, jobs: int = 1) -> dict[str, str]:
    """Run the reference solution of every exercise to grade, ``jobs`` at a time and before any student's run (so
    that no student's run shares the machine with them), retrying a run the machine failed.  Returns, for each
    exercise whose reference the machine failed every time, why; a reference that fails by itself is the
    instructor's to fix (``BulkError``)."""
    unavailable: dict[str, str] = {}

    def one(ex: Exercise) -> None:
        for attempt in range(REFERENCE_ATTEMPTS):
            try:
                references.get(ex, graders[ex.id])
                return
            except runner.InfrastructureError as exc:
                if attempt == REFERENCE_ATTEMPTS - 1:
                    unavailable[ex.id] = f"the reference solution could not be run: {exc}"

    exercises = list({keys[key][0].id: keys[key][0] for key in todo}.values())
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for done in [pool.submit(one, ex) for ex in exercises]:
            try:
                done.result()
            except GraderError as exc:
                raise BulkError(str(exc)) from None
    return unavailable


def _grade_all(todo: list[str], keys: dict[str, tuple[Exercise, Path]],
               verdicts: dict[str, tuple[ExerciseResult, float, str]], cache_dir: Path, jobs: int,
               result: ClassResult, progress: Callable[[int, int], None] | None) -> None:
    references = ReferenceCache()
    unavailable = _references_first(todo, keys, result.graders, references, jobs)

    def one(key: str) -> tuple[ExerciseResult, float]:
        ex, path = keys[key]
        if ex.id in unavailable:
            raise runner.InfrastructureError(unavailable[ex.id])
        t0 = time.monotonic()
        verdict = grade_exercise(ex, path, cache=references)
        return verdict, round(time.monotonic() - t0, 3)

    done = 0
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(one, key): key for key in todo}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                key = futures[fut]
                ex, _ = keys[key]
                try:
                    verdict, seconds = fut.result()
                except runner.InfrastructureError as exc:  # not the student's doing: no verdict, not cached
                    result.regrades += 1
                    verdicts[key] = (_regrade(ex, result.graders[ex.id], str(exc)), 0.0, "regrade")
                except GraderError as exc:
                    for other in pending:
                        other.cancel()
                    raise BulkError(str(exc)) from None
                except Exception as exc:  # noqa: BLE001 - a kit bug on one file must not stop the class
                    result.internal_errors += 1
                    message = (f"The grader itself failed on this file ({type(exc).__name__}: {exc}); this is not "
                               "your fault, and your instructor has been told.")
                    verdict = ExerciseResult(ex.id, [
                        CheckResult(c.name, c.title, Status.ERROR, 0.0, ex.points[c.name], message)
                        for c in result.graders[ex.id].checks], {"internal_error": True})
                    verdicts[key] = (verdict, 0.0, "error")
                else:
                    verdicts[key] = (verdict, seconds, "graded")
                    _write_cache(cache_dir / f"{key}.json", verdict, seconds)
                done += 1
                if progress is not None:
                    progress(done, len(todo))
