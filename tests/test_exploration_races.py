"""The four races of issue 12, found by schedule exploration: invisible under the tie schedules, rejected under
the explored ones, every time, with the schedule named and replayable.

Each mistake here is made in the reference solution by a race operator (``coursekit._dev.mutate_races``, or
``drop-lock`` on race_counter, whose stub no longer yields between the read and the write), so no program is
typed in for the test; the catalogue holds the same mistakes as students write them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursekit._dev.mutate import mutants
from coursekit.grading import ReferenceCache, grade_exercise, schedules_of
from coursekit.registry import load_course
from coursekit.results import ExerciseResult, Status

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
CACHE = ReferenceCache()
SCHEDULE = re.compile(r"This showed under schedule (\d+) \(")


def _mutant(ex_id: str, key: str, tmp_path: Path) -> Path:
    source = COURSE.get(ex_id).solution_path.read_text(encoding="utf-8")
    made = {m.key: m for m in mutants(source)}
    assert key in made, sorted(made)
    path = tmp_path / f"{Path(ex_id).name}.py"
    path.write_text(made[key].source, encoding="utf-8")
    return path


def _failed(result: ExerciseResult) -> dict[str, str]:
    return {c.name: c.message for c in result.checks if c.status is Status.FAILED}


def _explored_failure(ex_id: str, path: Path, check: str) -> tuple[int, str]:
    failed = _failed(grade_exercise(COURSE.get(ex_id), path, cache=CACHE))
    assert check in failed, f"{check} passed; failed: {sorted(failed)}"
    found = SCHEDULE.search(failed[check])
    assert found, failed[check]
    number = int(found.group(1))
    planned = {s.number: s for s in schedules_of(COURSE.get(ex_id))}
    assert planned[number].preempts, f"schedule {number} is a tie schedule: the race was not what showed"
    assert f"--schedule {number}" in failed[check]
    return number, failed[check]


RACES = [
    # exercise, mutant, the check that must reject it
    ("threads/worker_pool_queue", "empty-then-get@13", "runs"),  # `if tasks.empty(): break` before get()
    ("threads/worker_pool_queue", "empty-then-get@12", "runs"),  # `while not tasks.empty():`
    ("threads/race_counter", "drop-lock@17", "returns"),  # `counter.value += 1` with no lock, no yield
]


@pytest.mark.parametrize(("ex_id", "key", "check"), RACES, ids=[f"{e}:{k}" for e, k, _ in RACES])
def test_a_race_passes_the_tie_schedules_and_fails_an_explored_one_which_replays(ex_id, key, check, tmp_path):
    path = _mutant(ex_id, key, tmp_path)
    number, message = _explored_failure(ex_id, path, check)
    assert "was paused just before line" in message  # the window, in the student's own code
    for tie in (0, 1):  # fifo and lifo alone never switch threads where none blocks: the race hides
        assert check not in _failed(grade_exercise(COURSE.get(ex_id), path, cache=CACHE, schedule=tie))
    replay = _failed(grade_exercise(COURSE.get(ex_id), path, cache=CACHE, schedule=number))
    assert check in replay and SCHEDULE.search(replay[check]).group(1) == str(number)  # type: ignore[union-attr]


def test_the_same_race_gets_the_same_verdict_and_schedule_every_grading(tmp_path):
    path = _mutant("threads/worker_pool_queue", "empty-then-get@13", tmp_path)
    first = _explored_failure("threads/worker_pool_queue", path, "runs")
    assert all(_explored_failure("threads/worker_pool_queue", path, "runs") == first for _ in range(2))


def test_the_race_counter_reference_and_stub_teach_the_plain_plus_equals():
    """The lesson's claim holds: the stub's `+=` is the race (no yield of the kit's making), the reference locks it."""
    stub = (ROOT / "exercises" / "threads" / "race_counter.py").read_text(encoding="utf-8")
    solution = COURSE.get("threads/race_counter").solution_path.read_text(encoding="utf-8")
    for source in (stub, solution):
        assert "sleep(0)" not in source and "counter.value += 1" in source
    assert "a read, an add and a write" in stub and "lost updates" in stub
