"""The contracts of the trace: event kinds, problem kinds, context ids, waits, and the ideal pool schedule."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from coursekit._engine import events
from coursekit._engine.processes.schedule import IdealSlots
from coursekit._engine.trace import TraceWriter, parse_lines, read_events, read_tail, read_trace

ENGINE = Path(__file__).resolve().parent.parent / "coursekit" / "_engine"


def test_the_writer_refuses_an_unknown_event_kind(tmp_path):
    writer = TraceWriter(str(tmp_path))
    writer.emit(events.LINE, text="hi", t=0.0, id="t0")
    with pytest.raises(ValueError, match="'lines'"):
        writer.emit("lines", text="hi")
    assert [ev["e"] for evs in read_trace(tmp_path).values() for ev in evs] == ["line"]


def test_every_kind_has_a_typed_definition_and_the_judge_documents_it():
    # with work, sync, preempt and schedule
    assert set(events.EVENT_TYPES) == events.EVENT_KINDS and len(events.EVENT_KINDS) == 26
    doc = (ENGINE.parent / "_judge" / "timeline.py").read_text(encoding="utf-8").split('"""')[1]
    assert [kind for kind in sorted(events.EVENT_KINDS) if f"``{kind}``" not in doc] == []


def _literal_kinds(call: str) -> list[tuple[str, str]]:
    """String literals passed first to ``.emit(...)`` or ``.problem(...)`` anywhere in the child side."""
    found = []
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == call \
                    and node.args and isinstance(node.args[0], ast.Constant):
                found.append((path.name, node.args[0].value))
    return found


def test_the_engine_names_kinds_through_events_only():
    assert _literal_kinds("emit") == []
    assert _literal_kinds("problem") == []


def test_an_unknown_problem_kind_is_a_bug():
    assert events.check_problem(events.DEADLOCK) == "deadlock"
    with pytest.raises(ValueError, match="'dead-lock'"):
        events.check_problem("dead-lock")
    assert set(events.PROCESS_IN.values()) <= events.PROBLEM_KINDS


def test_context_ids_are_formatted_and_parsed_in_one_place():
    assert events.fiber_id(0) == events.FIBER_MAIN == "t0" and events.task_id(3) == "a3"
    assert events.MAIN == "main" and all(events.is_main(m) for m in events.MAIN_IDS)
    assert events.process_id("P-1") == "p:P-1"
    assert events.thread_id("w", "main") == "t:w" and events.thread_id("w", "p:P-1") == "p:P-1/t:w"
    assert events.process_of("p:P-1/t:w") == "p:P-1" and events.process_of("main") == "main"
    assert events.pool_call_id("1.pool1.2") == "task:1.pool1.2"
    assert events.pool_call_of("task:1.pool1.2") == "1.pool1.2" and events.pool_call_of("t1") is None
    assert events.wait("t1", "lock", "a.py:3 in f", "lock.acquire()") == {
        "id": "t1", "on": "lock", "where": "a.py:3 in f", "code": "lock.acquire()"}


def test_readers_drop_torn_lines_and_filter_by_kind(tmp_path):
    path = tmp_path / "1.jsonl"
    good = [{"t": 0.0, "e": "line", "text": "x"}, {"t": 1.5, "pid": 1, "e": "end"}]
    path.write_bytes(b"".join(json.dumps(ev).encode() + b"\n" for ev in good) + b'{"t": 2, "e": "li')
    assert read_events(path) == good
    assert read_events(path, events.END) == good[1:]
    assert read_tail(path, size=len(path.read_bytes()) - 3)[-1]["t"] == 1.5  # the cut first line is dropped
    assert parse_lines(b"not json\n") == []


def test_the_ideal_pool_places_each_call_on_the_slot_free_first():
    slots = IdealSlots(2)
    assert [slots.place(0.0, d) for d in (2.0, 1.0, 1.0, 3.0)] == [(0.0, 2.0), (0.0, 1.0), (1.0, 2.0), (2.0, 5.0)]
    assert IdealSlots(1).place(4.0, 1.0) == (4.0, 5.0)  # never before it may start
    with pytest.raises(ValueError, match="0"):
        IdealSlots(0)
