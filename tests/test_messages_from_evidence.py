"""Messages from evidence: every sentence of a failure is backed by the run, and advice fits what the code did.

Each test grades a catalogue program whose old message said something the run did not show (advice the code
already follows, a claim that did not happen, an engine's class name) and asserts that the old sentence is gone
and the true one is there; the catalogue's own ``# expect-message:`` headers assert the new words, these assert
the old ones' absence.  The pure helpers are tested on hand-made events.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from coursekit._judge.timeline import Line
from coursekit.checks import _calls as calls
from coursekit.checks._busy import busy_by_scenario
from coursekit.checks._multiprocessing import _lock_fix, _lost_in_all
from coursekit.checks._once import _done
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
    ("processes/shared_value_lock", "lock_around_write.py", "shared", "93 of 100", "the value ended at 6:"),
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


# -- messages name the scenario of a driver's run ------------------------------------------------------------
def _driver_run(*lines: tuple[float, str, str]) -> SimpleNamespace:
    """A stand-in for a driver's timeline: the phase event that says a driver ran, and its lines."""
    return SimpleNamespace(events=[{"e": "phase", "name": "main", "driver": True}],
                           lines=[Line(t, "t0", text, "main", fn=fn) for t, text, fn in lines])


def test_each_line_lies_in_the_scenario_announced_before_it():
    tl = _driver_run((0.0, "scenario 1: items [0] and 1 worker", ""), (0.5, "processed 0", "worker"),
                     (1.0, "scenario 2: items [1, 2] and 2 workers", ""), (2.0, "processed 1", "worker"),
                     (2.0, "with items [1, 2]: done", ""))
    first, second = calls.scenarios_of(tl)
    assert (first.number, first.label, second.t) == (1, "items [0] and 1 worker", 1.0)
    assert calls.scenario_of(tl, tl.lines[1]) == first and calls.scenario_of(tl, tl.lines[3]) == second
    assert calls.in_scenario(tl, tl.lines[3]) == "In scenario 2 (items [1, 2] and 2 workers), "
    assert calls.scenario_before(tl, tl.lines[2]) == first  # marker 2 comes when scenario 1's call has ended
    assert calls.quoted(tl, tl.lines[1]) == "'processed 0'"  # printed inside the student's worker
    assert calls.quoted(tl, tl.lines[4]) == "the grader's line 'with items [1, 2]: done'"
    assert calls.quoted(tl, tl.lines[2]).startswith("the grader's marker line for scenario 2 (")
    assert "2 scenarios of the grader's driver together" in calls.whole_run(tl)


def test_events_and_moments_lie_in_the_scenario_announced_before_them():
    # events: 0 phase, 1 marker 1, 2 a sleep (1 s to 3 s, across the next marker), 3 marker 2, 4 a sleep
    tl = _driver_run()
    tl.lines = [Line(0.0, "t0", "scenario 1: one", "main", seq=1), Line(2.0, "t0", "scenario 2: two", "main", seq=3)]
    tl.events += [{"e": "line"}, {"e": "sleep", "id": "w1", "t": 1.0, "d": 2.0}, {"e": "line"},
                  {"e": "sleep", "id": "w2", "t": 2.5, "d": 1.0}]
    tl.sleeps = [tl.events[2], tl.events[4]]
    first, second = calls.scenarios_of(tl)
    assert calls.event_scenarios(tl) == [None, first, first, second, second]
    assert calls.scenario_windows(tl) == [(first, 0.0, 2.0), (second, 2.0, float("inf"))]
    # the sleep begun in scenario 1 still runs in scenario 2: both are busy at once there, one in scenario 1
    peaks = busy_by_scenario(tl)
    assert (peaks[1][1].most, peaks[2][1].most, peaks[2][1].who) == (1, 2, ["w1", "w2"])


def test_a_count_of_a_unit_says_how_often_it_was_due():
    assert _done("item", "9", 6, 3) == "item 9 was processed 6 times instead of 3"
    assert _done("item", "9", 2, 1) == "item 9 was processed 2 times"
    assert _done("item", "9", 1, 3) == "item 9 was processed 1 of 3 times"  # not "never"
    assert _done("item", "9", 0, 1) == "item 9 was never processed"
    assert _done("url", "x", 1, 0) == "url x was processed, but the reference processes no such url there"


def test_a_run_without_a_driver_names_no_scenario_and_no_driver():
    tl = _driver_run((0.0, "scenario 1: not a marker here", ""), (1.0, "Done!", "main"))
    tl.events = [{"e": "phase", "name": "main", "driver": False}]
    assert calls.scenarios_of(tl) == [] and calls.in_scenario(tl, tl.lines[1]) == ""
    assert calls.quoted(tl, tl.lines[0]) == repr("scenario 1: not a marker here")
    assert calls.whole_run(tl) == ""


@pytest.mark.parametrize(("exercise", "entry", "check", "gone", "there"), [
    # a driver's marker line off time is the driver's, and says which call ended early
    ("coroutines/gather_in_order", "coroutines_not_awaited.py", "timing", "'scenario 3: 3 jobs: slow (3 s), fast "
     "(1 s), medium (2 s)' came at", "The grader's marker line for scenario 3"),
    ("coroutines/gather_in_order", "coroutines_not_awaited.py", "timing", None,
     "the call of scenario 2 (1 job: one (1 s)) ended 1 s earlier"),
    # scenarios never reached are said once, as the driver's, not as lines the student never printed
    ("coroutines/async_queue_pipeline", "one_sentinel.py", "output", "never printed 'scenario 2:",
     "The grader's driver never reached scenario 2 (items [0] and 1 worker)"),
    # a line of the student's, in the scenario where its time was lost
    ("coroutines/async_queue_pipeline", "one_consumer.py", "timing", None,
     "In scenario 5 (items [9, 9, 9] and 2 workers), 'start 9' came at 12 s"),
    ("threads/deadline_join", "run_instead_of_start.py", "deadline", "In scenario 6",
     "the call of scenario 5 (a function that returns None after 2 s and a deadline of 1 s) kept the caller"),
    ("threads/deadline_join", "sleep_the_deadline.py", "deadline", None,
     "In scenario 1 (a function that returns 0 after 0.25 s and a deadline of 1 s), the grader's line"),
    ("coroutines/bounded_semaphore", "limit_hard_coded.py", "in_flight", "when there is enough work",
     "the reference runs 4 at once there"),
    ("coroutines/bounded_semaphore", "no_semaphore.py", "in_flight", None, "In scenario 11 (limit=3 and"),
    # a line the grader's driver prints is said to be the driver's, and is not the student's text to check
    ("threads/go_channel", "send_after_close_accepted.py", "output", "(check the exact text)",
     "The grader's driver printed 'after close: send() returned'"),
    ("coroutines/bounded_semaphore", "never_released.py", "in_flight", None,
     "'job b4 starts', due in scenario 5 (limit=1 and jobs a4 (1 s), b4 (2 s), c4 (1 s)), never came"),
    # totals over a driver's run are not one call's
    ("threads/race_counter", "one_thread.py", "workers", None, "counted over the whole run"),
    ("processes/queue_workers_processes", "parent_squares_workers_get_sentinels.py", "work", None,
     "(counted over the whole run: the 5 scenarios of the grader's driver together). The first was in scenario 2"),
    # busy, once, leaks and work name the smallest scenario where the mistake shows
    ("threads/worker_pool_queue", "join_each_after_start.py", "busy", "with this much work 8 should be",
     "In scenario 3 (items [4, 4, 4] and 2 workers), at most 1 job was running at once; with this much work 2"),
    ("threads/worker_pool_queue", "main_helps_too.py", "busy", "at most 8 may run",
     "In scenario 3 (items [4, 4, 4] and 2 workers), at 0.5 s, 3 jobs were running at once (main, "),
    ("threads/worker_pool_queue", "sentinels_for_three.py", "busy", None,
     "Your program stopped before it finished, in scenario 4 (items [7, 8] and 4 workers): by then at most 2"),
    ("threads/worker_pool_queue", "no_sentinels.py", "leaks", "workers were still running when run_pool() returned",
     "2 workers started in scenario 1 (items [] and 2 workers) were still running when the grader's driver returned"),
    ("threads/worker_pool_queue", "one_sentinel.py", "leaks", None,
     "In scenario 1 (items [] and 2 workers), run_pool() never returned"),
    ("threads/worker_pool_queue", "sentinels_before_items.py", "once", "Item 0 (scenario 10)",
     "In scenario 2 (items [0] and 1 worker), item 0 (scenario 2) was never processed."),
    ("coroutines/async_queue_pipeline", "no_task_done.py", "processed_once", "item 20 was never processed",
     "The grader's driver never reached scenario 3 (items [20, 28] and 1 worker) or the 6 after it"),
    ("processes/queue_workers_processes", "first_worker_takes_everything.py", "work", None,
     "In scenario 3 (numbers [2, 2, 3] and 2 workers), at most 1 call(s) of the work were in progress at once"),
    ("coroutines/bounded_semaphore", "never_released.py", "work", None,
     "In scenario 5 (limit=1 and jobs a4 (1 s), b4 (2 s), c4 (1 s)), 2 call(s) of the work never happened"),
    ("coroutines/gather_in_order", "await_in_loop.py", "elapsed", None,
     "The first scenario that took a different time is scenario"),
])
def test_a_driver_run_names_its_scenario_and_its_own_lines(exercise, entry, check, gone, there):
    # gone: the old sentence, where the new one does not merely add the scenario in front of it
    messages = _messages(exercise, entry)
    assert check in messages, f"{exercise}/{entry}: {check} passed; failed: {sorted(messages)}"
    assert gone is None or gone not in messages[check], messages[check]
    assert there in messages[check], messages[check]


@pytest.mark.parametrize("entry", ["consumers_never_stopped.py", "cancelled_not_awaited.py"])
def test_queue_join_orders_the_consumers_work_before_what_main_does_next(entry):
    # Their mistake is after join() (consumers left pending): every consumer's task_done() happens before join()
    # returns, so the driver's next marker line is ordered after their lines by cause, not by luck.
    messages = _messages("coroutines/async_queue_pipeline", entry)
    assert "order" not in messages, messages.get("order")
    assert "still pending" in messages["join"]
