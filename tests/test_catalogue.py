"""Every reference solution passes, every stub fails, and each catalogue submission gets its intended verdict.

The catalogue lives in ``tests/catalogue/<exercise id>/{correct,wrong}/*.py``.  A wrong submission's header
names the checks that must fail (``# expect-fail: overlap, timing``) and may name words that their messages
must contain (``# expect-message: run() instead of start()``, case-insensitive), so that a message that stops
naming the mistake is caught; a correct one must pass every check.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursekit.grading import ReferenceCache, grade_exercise
from coursekit.registry import load_course
from coursekit.results import Status

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
CATALOGUE = Path(__file__).resolve().parent / "catalogue"
CACHE = ReferenceCache()


def _entries(kind: str) -> list[pytest.param]:
    out = []
    for ex in COURSE.exercises:
        for path in sorted((CATALOGUE / ex.id / kind).glob("*.py")):
            out.append(pytest.param(ex, path, id=f"{ex.id}/{kind}/{path.stem}"))
    return out


@pytest.mark.parametrize("exercise", COURSE.exercises, ids=lambda e: e.id)
def test_reference_solution_passes_every_check(exercise):
    result = grade_exercise(exercise, exercise.solution_path, cache=CACHE)
    failed = {c.name: c.message for c in result.checks if c.status is not Status.PASSED}
    assert not failed, failed
    assert result.score == exercise.max_points


@pytest.mark.parametrize("exercise", COURSE.exercises, ids=lambda e: e.id)
def test_stub_fails_every_check_with_a_short_message(exercise):
    result = grade_exercise(exercise, exercise.exercise_path, cache=CACHE)
    assert result.score == 0
    for check in result.checks:
        assert check.status is Status.FAILED
        assert "Not written yet" in check.message and "Traceback" not in check.message
        assert len(check.message.splitlines()) <= 3


@pytest.mark.parametrize(("exercise", "path"), _entries("correct"))
def test_correct_alternative_is_accepted(exercise, path):
    result = grade_exercise(exercise, path, cache=CACHE)
    failed = {c.name: c.message for c in result.checks if c.status is not Status.PASSED}
    assert not failed, failed


@pytest.mark.parametrize(("exercise", "path"), _entries("wrong"))
def test_wrong_submission_is_rejected_by_the_intended_check(exercise, path):
    header = re.search(r"^# expect-fail: (.+)$", path.read_text(encoding="utf-8"), re.M)
    assert header, f"{path}: no '# expect-fail:' header"
    intended = {name.strip() for name in header.group(1).split(",")}
    result = grade_exercise(exercise, path, cache=CACHE)
    by_name = {c.name: c for c in result.checks}
    assert intended <= set(by_name), f"unknown check in header: {intended - set(by_name)}"
    passed = sorted(n for n in intended if by_name[n].status is Status.PASSED)
    assert not passed, f"{passed} should have failed"
    assert result.score < exercise.max_points
    for name in intended:
        assert by_name[name].message.strip(), f"{name} failed without a message"
        assert "Traceback" not in by_name[name].message
    for words in re.findall(r"^# expect-message: (.+)$", path.read_text(encoding="utf-8"), re.M):
        said = "\n".join(by_name[n].message for n in intended).lower()
        assert words.strip().lower() in said, f"no message says {words.strip()!r}:\n{said}"
