"""Hints for the mistakes the catalogue shows: every exercise's common findings have a hint of their own.

A finding's kind names the mistake a failure shows, whether ``diagnose`` made it (``FINDING_KINDS``: ``deadlock``,
``sequential``) or a check did from what it measured (``CHECK_FINDING_KINDS``: ``in-flight``, ``late``,
``lost-update``); ``course.toml``'s ``hints_for`` keys name either.  Each graded program below makes the mistake
its key names (its catalogue header says which), and must get that exercise's hint for it, in ``course hint``
and ``feedback.md`` alike, rather than the exercise's first general hint.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursekit._bulk.gradebook import _exercise_feedback
from coursekit._judge.diagnose import FINDING_KINDS
from coursekit._judge.messages import CHECK_FINDING_KINDS
from coursekit._practice import hints
from coursekit.grading import ReferenceCache, grade_exercise, load_grader
from coursekit.registry import load_course

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
CACHE = ReferenceCache()
CATALOGUE = ROOT / "tests" / "catalogue"


def test_the_check_finding_kinds_are_the_kinds_the_checks_write():
    written = set()
    for path in (ROOT / "coursekit" / "checks").glob("*.py"):
        written |= set(re.findall(r'Finding\(\s*"([a-z-]+)"', path.read_text()))
    assert set(CHECK_FINDING_KINDS) == written - set(FINDING_KINDS)
    assert not set(CHECK_FINDING_KINDS) & set(FINDING_KINDS)


def test_every_hints_for_key_names_a_check_or_a_finding_kind_of_either_kind():
    for ex in COURSE.exercises:
        checks = [c.name for c in load_grader(ex).checks]
        assert hints.unknown_keys(ex, checks, (*FINDING_KINDS, *CHECK_FINDING_KINDS)) == [], ex.id
    assert any(set(ex.hints_for) & set(CHECK_FINDING_KINDS) for ex in COURSE.exercises)


@pytest.mark.parametrize(("exercise", "entry", "kind"), [
    ("coroutines/bounded_semaphore", "no_semaphore.py", "in-flight"),
    ("threads/deadline_join", "join_without_timeout.py", "late"),
    ("threads/thread_pool_fetch", "three_workers_always.py", "under-limit"),
    ("threads/worker_pool_queue", "one_sentinel.py", "deadlock"),
    ("coroutines/to_thread_blocking", "called_directly.py", "blocking-sleep"),
    ("processes/shared_value_lock", "no_lock.py", "lost-update"),
    ("processes/prime_counts_pool", "one_chunk.py", "one-chunk"),
])
def test_a_common_mistake_gets_its_own_hint(exercise, entry, kind):
    ex = COURSE.get(exercise)
    result = grade_exercise(ex, CATALOGUE / exercise / "wrong" / entry, cache=CACHE)
    assert any(kind in c.findings for c in result.checks), [c.findings for c in result.checks]
    choice = hints.choose_for(ex, result)
    assert choice.key == kind and choice.hints == ex.hints_for[kind]
    feedback = "\n".join(_exercise_feedback(ex, result, "graded", True, False)).replace("\\", "")  # Markdown escapes
    assert ex.hints_for[kind][0] in feedback
    assert ex.hints[0] not in feedback
