"""A learner's reference runs are kept under the course's ``.course/references/`` between checks: read back, they
give the timeline a fresh run gives; any change to the solution (or grader, limits, kit) runs it afresh."""

from __future__ import annotations

import dataclasses

from coursekit import grading
from coursekit._judge import runner
from coursekit.grading import REFERENCE_STORE, ReferenceCache, load_grader
from coursekit.registry import load_course
from tests._course_copy import copy_course


def _count_runs(monkeypatch) -> list[object]:
    runs: list[object] = []
    real = runner.run

    def counting(spec):
        runs.append(spec)
        return real(spec)

    monkeypatch.setattr(runner, "run", counting)
    return runs


def test_a_stored_reference_gives_the_fresh_timeline_and_a_changed_solution_runs_again(tmp_path, monkeypatch):
    course = load_course(copy_course(tmp_path / "course"))
    exercise = next(ex for ex in course.exercises if ex.id == "threads/numbers_letters_threads")
    grader = load_grader(exercise)
    runs = _count_runs(monkeypatch)

    fresh = ReferenceCache(persist=True).get(exercise, grader)
    assert len(runs) == 1 and list((exercise.root / REFERENCE_STORE).glob("*.json"))
    stored = ReferenceCache(persist=True).get(exercise, grader)  # a new process, as the next `course check`
    assert len(runs) == 1
    assert [(x.t, x.text, x.ctx) for x in stored.lines] == [(x.t, x.text, x.ctx) for x in fresh.lines]
    assert stored.contexts.keys() == fresh.contexts.keys() and stored.result == fresh.result

    exercise.solution_path.write_text(exercise.solution_path.read_text() + "\n# edited\n")
    ReferenceCache(persist=True).get(exercise, grader)
    assert len(runs) == 2
    slower = dataclasses.replace(exercise, limits=dataclasses.replace(exercise.limits, stall_s=7.0))
    ReferenceCache(persist=True).get(slower, grader)
    assert len(runs) == 3


def test_bulk_grading_and_a_broken_store_run_the_reference_again(tmp_path, monkeypatch):
    course = load_course(copy_course(tmp_path / "course"))
    exercise = next(ex for ex in course.exercises if ex.id == "threads/numbers_letters_threads")
    grader = load_grader(exercise)
    runs = _count_runs(monkeypatch)
    ReferenceCache(persist=True).get(exercise, grader)
    for stored in (exercise.root / REFERENCE_STORE).glob("*.json"):
        stored.write_text("{not json")
    ReferenceCache(persist=True).get(exercise, grader)
    ReferenceCache().get(exercise, grader)  # bulk grading's: never reads the store
    assert len(runs) == 3
    assert grading._default_cache.persist  # course check, watch and pytest keep theirs
