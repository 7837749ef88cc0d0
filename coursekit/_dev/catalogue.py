"""The intended verdicts: every reference solution passes, every stub fails, every catalogue entry as labelled.

The catalogue lives in ``tests/catalogue/<exercise id>/{correct,wrong}/*.py``.  A wrong submission's header
names the checks that must fail (``# expect-fail: overlap, timing``) and may name words that their messages
must contain (``# expect-message: run() instead of start()``, case-insensitive), so that a message that stops
naming the mistake is caught; a correct one must pass every check.

Each ``judge_*`` function grades one thing and returns its problems (empty: the verdict is the intended one),
each problem saying what is wrong and how to fix it.  ``tests/test_catalogue.py`` and ``course dev check``
both use them, so the two can never disagree.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from pathlib import Path

from coursekit.grading import GraderError, ReferenceCache, grade_exercise
from coursekit.registry import Course, Exercise
from coursekit.results import ExerciseResult, Status

CATALOGUE = Path("tests") / "catalogue"


class EntryKind(enum.StrEnum):
    """What a catalogue entry is, and the name of its folder: ``correct/`` must pass, ``wrong/`` must fail."""

    CORRECT = "correct"
    WRONG = "wrong"


KINDS: tuple[EntryKind, ...] = tuple(EntryKind)
EXPECT_FAIL = re.compile(r"^# expect-fail: (.+)$", re.MULTILINE)
EXPECT_MESSAGE = re.compile(r"^# expect-message: (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Entry:
    exercise: Exercise
    kind: EntryKind
    path: Path

    @property
    def name(self) -> str:
        return f"{self.exercise.id}/{self.kind}/{self.path.stem}"


def catalogue_dir(course: Course) -> Path:
    return course.root / CATALOGUE


def entries(course: Course, kind: str) -> list[Entry]:
    """The catalogue entries of one kind (``correct`` or ``wrong``), in course order, then by file name."""
    try:
        entry_kind = EntryKind(kind)
    except ValueError:
        raise ValueError(f"catalogue kind {kind!r} is not one of {', '.join(KINDS)}") from None
    out = []
    for ex in course.exercises:
        for path in sorted((catalogue_dir(course) / ex.id / entry_kind.value).glob("*.py")):
            out.append(Entry(ex, entry_kind, path))
    return out


def _failed(result: ExerciseResult) -> dict[str, str]:
    return {c.name: c.message for c in result.checks if c.status is not Status.PASSED}


def _grade(exercise: Exercise, path: Path, cache: ReferenceCache) -> tuple[ExerciseResult | None, list[str]]:
    try:
        return grade_exercise(exercise, path, cache=cache), []
    except GraderError as exc:
        return None, [f"{exercise.id}: the grader cannot judge: {exc}"]


def judge_solution(exercise: Exercise, cache: ReferenceCache) -> list[str]:
    result, problems = _grade(exercise, exercise.solution_path, cache)
    if result is None:
        return problems
    failed = _failed(result)
    if failed:
        detail = "; ".join(f"{name}: {msg.splitlines()[0] if msg else ''}" for name, msg in failed.items())
        return [f"{exercise.id}: the reference solution {exercise.solution_path.name} fails {sorted(failed)} "
                f"({detail}). Fix the solution, or the grader's checks, until it passes every check."]
    return []


def judge_stub(exercise: Exercise, cache: ReferenceCache) -> list[str]:
    result, problems = _grade(exercise, exercise.exercise_path, cache)
    if result is None:
        return problems
    out = []
    for check in result.checks:
        if check.status is not Status.FAILED:
            out.append(f"{exercise.id}: the stub passes check {check.name!r}. A stub must fail every check: leave "
                       "each function to write as `raise NotImplementedError(\"what to write\")`.")
        elif "Not written yet" not in check.message or "Traceback" in check.message \
                or len(check.message.splitlines()) > 3:
            out.append(f"{exercise.id}: the stub fails check {check.name!r} without the short 'Not written yet' "
                       f"message (got: {check.message[:120]!r}). Make the stub raise NotImplementedError before "
                       "it prints or starts anything, and keep its import free of side effects.")
    return out


def judge_correct(entry: Entry, cache: ReferenceCache) -> list[str]:
    result, problems = _grade(entry.exercise, entry.path, cache)
    if result is None:
        return problems
    failed = _failed(result)
    if failed:
        first = next(iter(failed.values())).splitlines()
        return [f"{entry.path}: a correct alternative is rejected by {sorted(failed)} "
                f"({first[0] if first else ''}). The grader is too strict, or the file is not correct after all "
                "(then move it to wrong/ with an '# expect-fail:' header)."]
    return []


def judge_wrong(entry: Entry, cache: ReferenceCache) -> list[str]:
    text = entry.path.read_text(encoding="utf-8")
    header = EXPECT_FAIL.search(text)
    if not header:
        return [f"{entry.path}: no '# expect-fail: <checks>' header. Add one naming the checks that must reject it."]
    intended = {name.strip() for name in header.group(1).split(",") if name.strip()}
    result, problems = _grade(entry.exercise, entry.path, cache)
    if result is None:
        return problems
    by_name = {c.name: c for c in result.checks}
    unknown = intended - set(by_name)
    if unknown:
        return [f"{entry.path}: the header names unknown check(s) {sorted(unknown)}; the grader's checks are "
                f"{sorted(by_name)}."]
    out = []
    passed = sorted(n for n in intended if by_name[n].status is Status.PASSED)
    if passed:
        out.append(f"{entry.path}: checks {passed} should have rejected it but passed. Make the grader catch this "
                   "mistake, or correct the '# expect-fail:' header.")
    if result.score >= entry.exercise.max_points:
        out.append(f"{entry.path}: a wrong submission got full marks.")
    for name in sorted(intended - set(passed)):
        message = by_name[name].message
        if not message.strip():
            out.append(f"{entry.path}: check {name!r} failed without a message; every failure must say what to change.")
        elif "Traceback" in message:
            out.append(f"{entry.path}: check {name!r} shows a traceback to the student; report the error in words.")
    if not passed:
        said = "\n".join(by_name[n].message for n in intended).lower()
        for words in EXPECT_MESSAGE.findall(text):
            if words.strip().lower() not in said:
                out.append(f"{entry.path}: no message of {sorted(intended)} says {words.strip()!r} (they say: "
                           f"{said[:200]!r}). Make the message name the mistake, or correct '# expect-message:'.")
    return out


def judge_entry(entry: Entry, cache: ReferenceCache) -> list[str]:
    return (judge_correct if entry.kind is EntryKind.CORRECT else judge_wrong)(entry, cache)
