"""Checking a learner's exercises and recording what came of it: the service behind ``course check/list/watch``.

Why apart from the commands: the commands (``coursekit._cli.practice``) and watch mode (``coursekit._cli.watch``)
all grade, record and ask "is it solved?", and when each said it its own way the answers drifted (three
definitions of "solved", two of "show the next hint").  Here each is said once:

* ``solved``: the last check of the file *as it is now* passed (a file edited since is not known to be solved);
* ``reveal_next_hint``: one more hint, never beyond the last, remembered in the progress file;
* ``grade``: a broken grader becomes a result of ERROR checks, said as the instructor's problem, never a crash.

Nothing here prints: where a command wants to say something (a re-check of changed files), it passes a callback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from coursekit._judge.messages import GRADER_BROKEN
from coursekit._practice import hints, stubs
from coursekit._practice.hints import HintChoice
from coursekit._practice.progress import ExerciseStatus, Progress, file_digest
from coursekit._practice.select import first_unsolved
from coursekit.grading import GraderError, grade_exercise
from coursekit.registry import Course, Exercise
from coursekit.results import CheckResult, ExerciseResult, Status


@dataclass(frozen=True)
class Graded:
    """One grading of an exercise file: its result, and the digest of the file as it was graded."""

    digest: str
    result: ExerciseResult


def grade(exercise: Exercise, schedule: int | None = None) -> ExerciseResult:
    """Grade (``schedule``: under that one only, to replay a failure); a broken grader becomes a result of ERROR
    checks (the instructor's problem, said as such)."""
    try:
        return grade_exercise(exercise, schedule=schedule)  # the module's reference cache: shared by every check
    except GraderError as exc:
        message = f"{GRADER_BROKEN} {exc}"
        return ExerciseResult(exercise.id, [CheckResult(name, "could not be judged", Status.ERROR, 0.0, points, message)
                                            for name, points in exercise.points.items()])


def digest_and_grade(exercise: Exercise, schedule: int | None = None) -> Graded:
    """Grade the file, with its digest taken first: of the file as graded, even if it is saved again meanwhile."""
    digest = file_digest(exercise.exercise_path)
    return Graded(digest, grade(exercise, schedule))


def check_and_record(exercise: Exercise, progress: Progress) -> Graded:
    """Grade and record the outcome in ``progress`` (the caller saves it)."""
    graded = digest_and_grade(exercise)
    progress.update(exercise, graded.result, graded.digest)
    return graded


def graded_side_by_side(exercises: list[Exercise], schedule: int | None = None) \
        -> Iterator[tuple[Exercise, Future[Graded]]]:
    """Grade side by side (each grading is a few child processes); yield in course order, as futures."""
    with ThreadPoolExecutor(max_workers=max(1, min(len(exercises), os.cpu_count() or 2))) as pool:
        futures = [pool.submit(digest_and_grade, ex, schedule) for ex in exercises]
        yield from zip(exercises, futures, strict=True)


def statuses(course: Course, progress: Progress) -> dict[str, ExerciseStatus]:
    """Every exercise's status as recorded, for the files as they are now (``STALE``: not known)."""
    return {ex.id: progress.status(ex, pristine=stubs.stub_text(ex)) for ex in course.exercises}


def refreshed_statuses(course: Course, progress: Progress,
                       announce: Callable[[list[Exercise]], None] = lambda stale: None) -> dict[str, ExerciseStatus]:
    """Every exercise's status; files changed since their last check (or never recorded) are checked again first
    (``announce`` is told which, before), and the progress is saved if any was."""
    now = statuses(course, progress)
    stale = [ex for ex in course.exercises if now[ex.id] is ExerciseStatus.STALE]
    if stale:
        announce(stale)
        for ex, future in graded_side_by_side(stale):
            graded = future.result()
            progress.update(ex, graded.result, graded.digest)
            now[ex.id] = progress.status(ex, pristine=stubs.stub_text(ex))
        progress.save()
    return now


def solved(progress: Progress, exercise: Exercise) -> bool:
    """The one meaning of "solved": the last check of the exercise's file, as the file is now, passed."""
    return progress.status(exercise) is ExerciseStatus.SOLVED


def current(course: Course, progress: Progress, *, after: Exercise | None = None) -> Exercise | None:
    """The exercise to work on: the first unsolved one in course order (after ``after``, wrapping around)."""
    return first_unsolved(course, lambda ex: solved(progress, ex), after=after)


@dataclass(frozen=True)
class HintsShown:
    """What a hint request showed: the hints chosen for the last check (``choice``), and how many of them are
    shown now (0: there are none)."""

    choice: HintChoice
    shown: int


def reveal_next_hint(exercise: Exercise, progress: Progress) -> HintsShown:
    """Show one more hint of ``exercise`` (never beyond the last) and save that.

    The hints are those of the mistake the last check found (``coursekit._practice.hints``), when it found one
    with hints and they are not all shown yet; else the exercise's progressive hints.  An exercise without any
    hint shows 0 and leaves the progress untouched.
    """
    rec = progress.record(exercise)
    choice = hints.choose(exercise, rec.failed, rec.findings) if rec.failed else HintChoice("", exercise.hints)
    if choice.targeted and rec.hints_for_shown.get(choice.key, 0) >= len(choice.hints):
        choice = HintChoice("", exercise.hints)  # every hint for this mistake is out: go on with the others
    if not choice.hints:
        return HintsShown(choice, 0)
    if choice.targeted:
        shown = rec.hints_for_shown[choice.key] = min(len(choice.hints), rec.hints_for_shown.get(choice.key, 0) + 1)
    else:
        shown = rec.hints_shown = min(len(choice.hints), rec.hints_shown + 1)
    progress.save()
    return HintsShown(choice, shown)


__all__ = ["Graded", "HintsShown", "check_and_record", "current", "digest_and_grade", "grade", "graded_side_by_side",
           "refreshed_statuses", "reveal_next_hint", "solved", "statuses"]
