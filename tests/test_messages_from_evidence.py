"""Messages from evidence: every sentence of a failure is backed by the run, and advice fits what the code did.

Each test grades a catalogue program whose old message said something the run did not show (advice the code
already follows, a claim that did not happen, an engine's class name) and asserts that the old sentence is gone
and the true one is there; the catalogue's own ``# expect-message:`` headers assert the new words, these assert
the old ones' absence.  The pure helpers are tested on hand-made events.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.checks._multiprocessing import _lock_fix, _lost_in_all
from coursekit.checks._returns import Returns, _plain
from coursekit.grading import ReferenceCache, grade_exercise
from coursekit.registry import load_course

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
CACHE = ReferenceCache()
CATALOGUE = ROOT / "tests" / "catalogue"


def _messages(exercise_id: str, entry: str) -> dict[str, str]:
    """Each failed check's message for one catalogue entry, by check name."""
    result = grade_exercise(COURSE.get(exercise_id), CATALOGUE / exercise_id / "wrong" / entry, cache=CACHE)
    return {c.name: c.message for c in result.checks if c.status.name != "PASSED"}


# -- the pure helpers ---------------------------------------------------------------------------------------
def _ev(op: str, ctx: str, value: int, t: float, lc: int = 0) -> dict[str, object]:
    return {"op": op, "id": ctx, "value": value, "t": t, "lc": lc}


def test_lost_updates_are_counted_from_the_final_value_not_from_the_overwrites():
    # two processes, two +1 updates each, every one overwritten in turn: the value ends at 2, so 2 were lost
    accesses = [_ev("init", "m", 0, 0.0)]
    for k in range(2):
        t = float(k)
        accesses += [_ev("read", "p1", 2 * k, t, 1), _ev("read", "p2", 2 * k, t, 2),
                     _ev("write", "p1", 2 * k + 1, t + 0.5, 3), _ev("write", "p2", 2 * k + 1, t + 0.5, 4)]
    # the replayed value follows the real writes here: 1 after the first round, 2 after the second
    assert "4 updates were written and the value ended at 2: 2 of them were lost" in _lost_in_all(accesses, 2, 4)
    assert _lost_in_all(accesses, 4, 4) == ""  # nothing missing: no sentence at all


def test_the_lock_advice_follows_the_locks_held():
    none, a, b = {"held": []}, {"held": ["L1"]}, {"held": ["L2"]}
    assert "Hold one lock" in _lock_fix(none, none, none)
    assert "let go between the read and the write" in _lock_fix(a, a, a)
    same = _lock_fix(a, a, b)
    assert "same lock" in same
    assert "same lock" not in _lock_fix(a, a, a)  # the code uses one lock: do not tell it to


def test_the_engine_wrapper_of_a_shared_value_reads_as_python_prints_it():
    assert _plain("<ObservedValue wrapper for c_int(100)>") == "<Synchronized wrapper for c_int(100)>"


def test_advice_if_keeps_the_grader_advice_to_the_differences_it_fits():
    check = Returns("f()", advice="Use is_alive().", advice_if=lambda got, want: got[:1] != want[:1])
    assert check._advice([((True, None), (False, None))]) == "Use is_alive()."
    assert check._advice([({"raised": "TimeoutError", "message": ""}, (False, None))]) == ""
    assert Returns("f()", advice="x")._advice([(1, 2)]) == "x"


# -- whole runs ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("exercise", "entry", "check", "gone", "there"), [
    ("threads/race_counter", "window_removed.py", "workers", "did any of the work", "reached the work's pause"),
    ("processes/shared_value_lock", "lock_around_write.py", "shared", "93 of 100", "the value ended at 25"),
    ("processes/shared_value_lock", "lock_twice_split.py", "shared", "same lock", "let go between"),
    ("processes/shared_value_lock", "returns_the_value_object.py", "returns", "ObservedValue", "Synchronized"),
    ("threads/deadline_join", "raises_at_deadline.py", "returns", "is_alive()", "raised TimeoutError"),
    ("threads/deadline_join", "daemon_timer_left.py", "leaks", "Make the thread a daemon", "daemons already"),
    ("threads/worker_pool_queue", "sentinel_short_by_one.py", "runs", "every worker is waiting", "nothing left"),
    ("threads/worker_pool_queue", "main_helps_too.py", "busy", "Use exactly", "outside your workers"),
    ("coroutines/bounded_semaphore", "semaphore_around_create_task.py", "timing", "Sleep first", "due at"),
    ("coroutines/timeout_cancel", "timeout_grace_added.py", "cancellation", "asyncio.timeout(seconds)",
     "time limit itself"),
    ("coroutines/async_queue_pipeline", "consumers_never_stopped.py", "join", "Await every task you create",
     "Stop it first"),
    ("coroutines/to_thread_blocking", "one_at_a_time.py", "elapsed", "read_all() took", "The grader's whole run"),
    ("processes/prime_counts_pool", "results_after_with.py", "returns", "returned None", "`with` block ended"),
])
def test_the_old_sentence_is_gone_and_the_true_one_is_there(exercise, entry, check, gone, there):
    messages = _messages(exercise, entry)
    assert check in messages, f"{exercise}/{entry}: {check} passed; failed: {sorted(messages)}"
    assert gone not in messages[check]
    assert there in messages[check]
