"""Preemption points in the student's own code: where an explored schedule may switch threads (child side).

Why here and only here: a race is a window between two steps of one thread in which another thread acts; the
steps a student can get wrong are the student's own (a call such as ``tasks.empty()`` then ``tasks.get()``, a
``with lock:``, a store such as ``counter.value = ...``).  So the points are: before every call, every ``with``,
and every store to shared state (an attribute, an item, a global, a closure cell; locals are the thread's own)
in the student's code objects.  The standard library and the kit are never instrumented, so they run at full
speed and their own invariants (a ``Condition``'s internal steps) are never split.

How: ``sys.monitoring`` on 3.12 and later (``INSTRUCTION`` events, enabled *locally* on the student's code
objects only; an instruction that is not a point disables itself for good, so a hot loop pays only at its
points), ``sys.settrace`` with opcode events on 3.11 (the tracer returns a local one for student frames only).

What a point does is ``hook(kind)``: ``Scheduler.preempt``, which under an explored schedule may hand the turn to
another thread (``coursekit._engine.exploration``).  Under ``fifo`` and ``lifo`` nothing here is installed.
"""

from __future__ import annotations

import dis
import sys
import threading
import types
from collections.abc import Callable, Iterable
from typing import Any

POINT_NAMES = (
    "CALL", "CALL_KW", "CALL_FUNCTION_EX", "BEFORE_WITH", "BEFORE_ASYNC_WITH",
    "STORE_ATTR", "STORE_SUBSCR", "STORE_GLOBAL", "STORE_DEREF", "DELETE_ATTR", "DELETE_SUBSCR", "DELETE_GLOBAL",
)
POINT_OPCODES = frozenset(dis.opmap[name] for name in POINT_NAMES if name in dis.opmap)
"""The opcodes before which a thread may be preempted (the names this interpreter has)."""
POINT_KINDS: dict[int, str] = {
    dis.opmap[name]: ("store" if name.startswith(("STORE", "DELETE")) else "with" if "WITH" in name else "call")
    for name in POINT_NAMES if name in dis.opmap
}
"""Each point's opcode -> what comes next: ``call``, ``with`` or ``store`` (a lost update needs a switch at a
store)."""

TOOL_NAME = "coursekit-preempt"


def code_objects(module: types.ModuleType, filenames: Iterable[str]) -> set[types.CodeType]:
    """Every code object of ``module``'s functions, methods and nested functions whose file is in ``filenames``.

    Found from the module's namespace after import (functions, classes and their members), then down
    ``co_consts`` (nested functions, lambdas, comprehensions)."""
    files = set(filenames)
    found: set[types.CodeType] = set()
    seen: set[int] = set()

    def add_code(code: types.CodeType) -> None:
        if code in found or code.co_filename not in files:
            return
        found.add(code)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                add_code(const)

    def visit(obj: Any, depth: int = 0) -> None:
        if id(obj) in seen or depth > 3:
            return
        seen.add(id(obj))
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        if isinstance(obj, property):
            for part in (obj.fget, obj.fset, obj.fdel):
                if part is not None:
                    visit(part, depth + 1)
            return
        code = getattr(obj, "__code__", None)
        if isinstance(code, types.CodeType):
            add_code(code)
            return
        if isinstance(obj, type) and obj.__module__ == module.__name__:
            for member in vars(obj).values():
                visit(member, depth + 1)

    for value in list(vars(module).values()):
        visit(value)
    return found


def install(codes: set[types.CodeType], hook: Callable[[str], None],
            homes: Iterable[dict[str, Any]] | None = None) -> None:
    """Call ``hook(kind)`` before every preemption point of ``codes`` (``POINT_KINDS``), in every thread.

    ``homes``: the globals that ``codes`` run with (the student's module's namespace).  On 3.11 the tracer sees
    every call of every frame, and a frame with other globals is passed over without reading its code: reading
    ``frame.f_code`` raises an audit event, which bulk grading's guard (``coursekit._engine.guard``) then
    examined some 40,000 times a schedule; the globals are compared by identity, as ``id()`` raises one too.
    (Student code run with other globals, by ``exec``, gets no points.)"""
    if not codes:
        return
    if sys.version_info >= (3, 12):
        _install_monitoring(codes, hook)
    else:
        _install_settrace(codes, hook, None if homes is None else tuple(homes))


def _install_monitoring(codes: set[types.CodeType], hook: Callable[[str], None]) -> None:
    mon = sys.monitoring  # type: ignore[attr-defined,unused-ignore]
    tool = next((t for t in range(6) if mon.get_tool(t) is None), None)
    if tool is None:  # every tool id is taken (a debugger and a profiler and more): run without points
        return
    mon.use_tool_id(tool, TOOL_NAME)
    kinds = POINT_KINDS
    disable = mon.DISABLE

    def on_instruction(code: types.CodeType, offset: int) -> object:
        kind = kinds.get(code.co_code[offset])
        if kind is None:
            return disable
        hook(kind)
        return None

    mon.register_callback(tool, mon.events.INSTRUCTION, on_instruction)
    for code in codes:
        mon.set_local_events(tool, code, mon.events.INSTRUCTION)


def _install_settrace(codes: set[types.CodeType], hook: Callable[[str], None],
                      homes: tuple[dict[str, Any], ...] | None) -> None:
    # Each student code object's points, by instruction offset, found once: the local tracer runs at every
    # opcode of a student frame, so it does one lookup there and nothing else.
    tables: dict[types.CodeType, dict[int, str]] = {}
    for code in codes:
        raw = code.co_code
        tables[code] = {offset: POINT_KINDS[raw[offset]] for offset in range(0, len(raw), 2)
                        if raw[offset] in POINT_KINDS}

    def tracer(frame: types.FrameType, event: str, arg: Any) -> Any:
        if homes is not None:  # compared by identity: ``f_globals`` raises no audit event, but ``f_code`` and
            found = frame.f_globals  # ``id()`` do (``id`` at every call of every frame was 41,000 events a copy)
            for home in homes:
                if found is home:
                    break
            else:
                return None
        table = tables.get(frame.f_code)
        if table is None:
            return None
        frame.f_trace_lines = False
        frame.f_trace_opcodes = True
        point = table.get

        def local(frame: types.FrameType, event: str, arg: Any) -> Any:
            if event == "opcode":
                kind = point(frame.f_lasti)
                if kind is not None:
                    hook(kind)
            return local

        return local

    threading.settrace(tracer)  # threads started from now on
    sys.settrace(tracer)  # this one (main)
