"""Every reference solution passes, every stub fails, and each catalogue submission gets its intended verdict.

The catalogue lives in ``tests/catalogue/<exercise id>/{correct,wrong}/*.py``.  A wrong submission's header
names the checks that must fail (``# expect-fail: overlap, timing``) and may name words that their messages
must contain (``# expect-message: run() instead of start()``, case-insensitive), so that a message that stops
naming the mistake is caught; a correct one must pass every check.

The verdict logic lives in ``coursekit._dev.catalogue`` and is shared with ``course dev check``, so the test
suite and the instructor's command can never disagree; each test here is one item of that logic.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit._dev import catalogue
from coursekit.grading import ReferenceCache
from coursekit.registry import load_course

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
CACHE = ReferenceCache()


def _entries(kind: str) -> list[pytest.param]:
    return [pytest.param(e, id=e.name) for e in catalogue.entries(COURSE, kind)]


def _assert_none(problems: list[str]) -> None:
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("exercise", COURSE.exercises, ids=lambda e: e.id)
def test_reference_solution_passes_every_check(exercise):
    _assert_none(catalogue.judge_solution(exercise, CACHE))


@pytest.mark.parametrize("exercise", COURSE.exercises, ids=lambda e: e.id)
def test_stub_fails_every_check_with_a_short_message(exercise):
    _assert_none(catalogue.judge_stub(exercise, CACHE))


@pytest.mark.parametrize("entry", _entries("correct"))
def test_correct_alternative_is_accepted(entry):
    _assert_none(catalogue.judge_correct(entry, CACHE))


@pytest.mark.parametrize("entry", _entries("wrong"))
def test_wrong_submission_is_rejected_by_the_intended_check(entry):
    _assert_none(catalogue.judge_wrong(entry, CACHE))
