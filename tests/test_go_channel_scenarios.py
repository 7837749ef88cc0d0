"""The go_channel grader's scenarios: what they try, that the reference's outcome on them is the same whichever
way ties go, that an outcome never names a thread, and that the returns check names the mistake it sees.

The catalogue (``tests/catalogue/threads/go_channel``) grades whole programs; these tests pin the parts of the
grader that the catalogue only reaches through them.
"""

from __future__ import annotations

import ast
import importlib.util
import random
from pathlib import Path
from types import ModuleType

import pytest

from coursekit.grading import ReferenceCache, _observe, load_grader
from coursekit.registry import load_course

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
EXERCISE = next(e for e in COURSE.exercises if e.id == "threads/go_channel")
CACHE = ReferenceCache()


def _grader_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("go_channel_grader_under_test", EXERCISE.grader_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


G = _grader_module()


def _reference() -> dict:
    return ast.literal_eval(CACHE.get(EXERCISE, load_grader(EXERCISE)).result or "")


def test_the_scenarios_try_what_the_issue_lists():
    params = [s.params for s in G.SCENARIOS]
    senders = {len(p["senders"]) for p in params}
    receivers = {len(p["receivers"]) for p in params}
    capacities = {p["capacity"] for p in params}
    assert {1, 2, 3, 4} <= senders, senders
    assert {1, 2, 3, 4} <= receivers, receivers
    assert 0 in capacities and any(c > 1 for c in capacities), capacities
    assert {"recv", "for"} <= {p["loop"] for p in params}
    assert any(p["close_at"] is None for p in params), "no scenario where the sender closes the channel itself"
    several = [p for p in params if len(p["senders"]) > 1]
    assert all(len(values) == 1 for p in several for _, values, _ in p["senders"]), \
        "with several senders each sends one value: which waiting sender goes first is not decided"
    assert any(v in (0, None, "") for p in params for _, values, _ in p["senders"] for v in values)


def test_the_scenarios_are_the_same_every_time_smallest_first():
    again = G.scenarios.draw(G.random_case, seed=3, count=12, fixed=())
    drawn = {s.label for s in again}
    assert drawn <= {s.label for s in G.SCENARIOS}
    sizes = [s.size for s in G.SCENARIOS]
    assert sizes == sorted(sizes)
    assert len({s.label for s in G.SCENARIOS}) == len(G.SCENARIOS)
    assert [s.number for s in G.SCENARIOS] == list(range(1, len(G.SCENARIOS) + 1))


def test_close_never_ties_with_another_call():
    rng = random.Random(0)  # noqa: S311 - reproducible scenarios, not secrets
    for scenario in [G.random_case(rng) for _ in range(200)] + list(G.SCENARIOS):
        close_at = scenario["close_at"]
        if close_at is not None:
            assert round(close_at * 4, 6) != round(close_at * 4), scenario.label  # never on a quarter second


def test_the_reference_shows_close_while_sends_and_receives_wait():
    """Behaviour, from the reference's run: some scenario's close() ends a waiting send (it returns at the close
    moment, called before it), and some scenario's close() ends waiting receives (they raise Closed at that moment)."""
    outcomes = _reference()
    send_woken = recv_woken = several_woken = False
    for result in outcomes.values():
        events = G._events(result["moments"])
        closed = G._close_moment(events)
        if closed is None or closed not in events:
            continue
        at_close = events[closed]
        called_before = G._count({m: e for m, e in events.items() if m < closed}, {G.SEND_CALLED}, closed)
        send_woken |= at_close.get(G.SEND_RETURNED, 0) > 0 and called_before > 0
        recv_woken |= at_close.get(G.RECV_CLOSED, 0) + at_close.get(G.LOOP_ENDED, 0) > 0
        several_woken |= at_close.get(G.RECV_CLOSED, 0) >= 4
    assert send_woken and recv_woken and several_woken


@pytest.mark.parametrize("tie", ["fifo", "lifo"])
def test_the_reference_outcome_does_not_depend_on_ties(tie):
    run = _observe(EXERCISE, load_grader(EXERCISE), EXERCISE.solution_path, tie)
    assert ast.literal_eval(run.result or "") == _reference()


def test_an_outcome_counts_events_and_never_names_a_thread():
    log = [(0.0, G.SEND_CALLED), (1.0, G.RECV_VALUE), (1.0, G.SEND_RETURNED), (1.0, G.RECV_VALUE)]
    a = G.outcome(log, [(1.0, 2), (1.0, 1)], [3], ordered=True)
    b = G.outcome(list(reversed(log)), [(1.0, 1), (1.0, 2)], [3], ordered=True)
    assert a == b
    assert a["moments"] == [[0.0, G.SEND_CALLED, 1], [1.0, G.SEND_RETURNED, 1], [1.0, G.RECV_VALUE, 2]]
    assert a["order"] == ["1", "2", "3"] and a["values out"] == ["1", "2", "3"] and a["left in the channel"] == 1
    assert "order" not in G.outcome(log, [(1.0, 2)], [], ordered=False)


def _result(moments, values=("1",), order=None):
    out = {"moments": [list(m) for m in moments], "values out": list(values), "left in the channel": 0}
    if order is not None:
        out["order"] = order
    return out


WANT = _result([(0, G.SEND_CALLED, 1), (0.25, G.SEND_CALLED, 1), (1, G.SEND_RETURNED, 1), (1, G.RECV_VALUE, 1),
                (2, G.SEND_RETURNED, 1), (2, G.RECV_VALUE, 1), (3.1, G.CLOSE_CALLED, 1), (3.1, G.RECV_CLOSED, 1)],
               ("1", "2"))


@pytest.mark.parametrize(("moments", "words"), [
    # a receiver that raised Closed before close(): `if` instead of `while`
    ([(0, G.SEND_CALLED, 1), (0.25, G.SEND_CALLED, 1), (1, G.SEND_RETURNED, 1), (1, G.RECV_VALUE, 1),
      (1, G.RECV_CLOSED, 1), (3.1, G.CLOSE_CALLED, 1)], "although the channel was still open"),
    # a send that returned before its value was taken
    ([(0, G.SEND_CALLED, 1), (0.25, G.SEND_CALLED, 1), (0.25, G.SEND_RETURNED, 1), (1, G.SEND_RETURNED, 1),
      (1, G.RECV_VALUE, 1), (2, G.RECV_VALUE, 1), (3.1, G.CLOSE_CALLED, 1), (3.1, G.RECV_CLOSED, 1)],
     "before a receiver took its value"),
    # a send that slept on after its value was taken
    ([(0, G.SEND_CALLED, 1), (0.25, G.SEND_CALLED, 1), (1, G.RECV_VALUE, 1), (2, G.SEND_RETURNED, 1),
      (2, G.RECV_VALUE, 1), (3.1, G.CLOSE_CALLED, 1), (3.1, G.SEND_RETURNED, 1), (3.1, G.RECV_CLOSED, 1)],
     "notify_all(), not notify()"),
])
def test_the_message_names_what_the_run_shows(moments, words):
    got = _result(moments, ("1", "2"))
    assert words in G._mistake(got, WANT, 0)
    assert G._moment_diff(got, WANT).startswith("At ")


def test_a_waiting_send_that_raises_at_close_is_named():
    want = _result([(0, G.SEND_CALLED, 1), (0.6, G.SEND_RETURNED, 1), (0.6, G.CLOSE_CALLED, 1)], ("7",))
    raised = _result([(0, G.SEND_CALLED, 1), (0.6, G.SEND_CLOSED, 1), (0.6, G.CLOSE_CALLED, 1)], ())
    other = _result([(0, G.SEND_CALLED, 1), (0.6, "send() raised RuntimeError", 1), (0.6, G.CLOSE_CALLED, 1)], ())
    assert "a send() that was waiting when close() was called raised Closed" in G._mistake(raised, want, 0)
    assert "send() raised RuntimeError. A send() still waiting when close() is called returns" in \
        G._mistake(other, want, 0)


def test_a_for_loop_that_ends_before_close_is_named():
    want = _result([(0.5, G.SEND_CALLED, 1), (0.5, G.SEND_RETURNED, 1), (0.5, G.RECV_VALUE, 1),
                    (1.1, G.CLOSE_CALLED, 1), (1.1, G.LOOP_ENDED, 1)])
    got = _result([(0, G.LOOP_ENDED, 1), (0.5, G.SEND_CALLED, 1), (1.1, G.CLOSE_CALLED, 1),
                   (1.1, G.SEND_RETURNED, 1)], ())
    said = G._mistake(got, want, 0)
    assert "a for-loop over the channel ended although the channel was still open (close() came at 1.1 s)" in said
    assert "while" not in said  # not the `if`-for-`while` advice: nothing waited


def test_a_send_raising_closed_is_blamed_on_close_only_if_it_was_waiting():
    want = _result([(0.6, G.CLOSE_CALLED, 1), (1, G.SEND_CALLED, 1), (1, G.SEND_CLOSED, 1)], ())
    got = _result([(0.6, G.CLOSE_CALLED, 1), (1, G.SEND_CALLED, 2), (1, G.SEND_CLOSED, 2)], ())
    assert "was waiting when close() was called" not in G._mistake(got, want, 0)


def test_lost_values_and_wrong_order_are_named():
    want = _result([(1, G.RECV_VALUE, 2)], ("0", "1"), order=["0", "1"])
    assert "never came out of the channel: 1" in G._mistake(_result([(1, G.RECV_VALUE, 2)], ("0",)), want, 0)
    assert "came out as 1, 0" in G._mistake(_result([(1, G.RECV_VALUE, 2)], ("0", "1"), ["1", "0"]), want, 0)
