"""What every harness process shares: the trace, the current context, student locations.

A *context* is whatever did a piece of work: the main program, a thread, a process or an asyncio task.  The
engine in use (``threads``, ``event_loop``, ``processes``) tells the probe how to read the clock and which
context is running; the probe turns prints (through ``output.LineTee``), crashes and problems into trace events
tagged with both, and says where in the student's code a frame is.
"""

from __future__ import annotations

import os
import sys
import traceback
import types
from collections.abc import Callable
from typing import Any

from coursekit._engine import events
from coursekit._engine.events import MAIN, Wait
from coursekit._engine.output import LineTee
from coursekit._engine.trace import TraceWriter


class Probe:
    def __init__(self, writer: TraceWriter, student_files: list[str]) -> None:
        self.writer = writer
        self.student_files = {os.path.realpath(f) for f in student_files}
        self._is_student: dict[str, bool] = {}  # by code file name: a realpath() per frame was most of a run's CPU
        self.clock: Callable[[], float] = lambda: 0.0
        self.context: Callable[[], str] = lambda: MAIN
        self.phase = "setup"

    # -- events ---------------------------------------------------------------------------------------
    def emit(self, event: str, /, **fields: Any) -> None:
        fields.setdefault("t", round(self.clock(), 9))
        fields.setdefault("id", self.context())
        self.writer.emit(event, **fields)

    def is_student(self, code: types.CodeType) -> bool:
        name = code.co_filename
        known = self._is_student.get(name)
        if known is None:
            known = self._is_student[name] = os.path.realpath(name) in self.student_files
        return known

    def where(self, frame: types.FrameType | None = None) -> str:
        """The innermost student line on the stack, as ``file.py:12 in func`` (or ``""``)."""
        f: types.FrameType | None = frame if frame is not None else sys._getframe(1)
        while f is not None:
            if self.is_student(f.f_code):
                return f"{os.path.basename(f.f_code.co_filename)}:{f.f_lineno} in {f.f_code.co_name}"
            f = f.f_back
        return ""

    def student_function(self, frame: types.FrameType | None) -> str:
        """The name of the innermost student function on ``frame``'s stack (``""`` if none): who printed a line.

        Why: the context a line comes from is not enough to say who printed it: ``await asyncio.wait_for(job())``
        runs ``job`` in the caller's task on Python 3.12 and later, ``create_task(job())`` in its own, and both
        are the same program to a student.  The function that called ``print`` is the same in both.
        """
        f = frame
        while f is not None:
            if self.is_student(f.f_code):
                return f.f_code.co_qualname
            f = f.f_back
        return ""

    def code_at(self, frame: types.FrameType | None) -> str:
        """The source text of the innermost student line on ``frame``'s stack (``""`` if none or unreadable).

        Why: a wait is reported as the primitive the scheduler sees (a queue's get() blocks in a lock); the
        student recognises what they wrote, so messages quote that line.
        """
        import linecache

        f = frame
        while f is not None:
            if self.is_student(f.f_code):
                return linecache.getline(f.f_code.co_filename, f.f_lineno).strip()[:120]
            f = f.f_back
        return ""

    def where_tb(self, tb: types.TracebackType | None) -> str:
        found = ""
        while tb is not None:
            if self.is_student(tb.tb_frame.f_code):
                code = tb.tb_frame.f_code
                found = f"{os.path.basename(code.co_filename)}:{tb.tb_lineno} in {code.co_name}"
            tb = tb.tb_next
        return found

    def wait_of(self, cid: str, on: str, frame: types.FrameType | None) -> Wait:
        """What context ``cid`` waits on, at the student line of ``frame``'s stack (``""`` without a frame: a
        thread not yet running says nothing rather than point at the caller's line)."""
        return events.wait(cid, on, self.where(frame) if frame is not None else "", self.code_at(frame))

    def crash(self, exc: BaseException, **extra: Any) -> None:
        msg = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        self.emit(events.CRASH, exc=type(exc).__name__, msg=msg[:500], where=self.where_tb(exc.__traceback__), **extra)

    def problem(self, kind: str, detail: str = "", where: str | None = None, **extra: Any) -> None:
        """Record a problem of ``kind`` (one of ``events.PROBLEM_KINDS``), at the caller's student line by default."""
        self.emit(events.PROBLEM, kind=events.check_problem(kind), detail=detail,
                  where=self.where() if where is None else where, **extra)

    # -- output -----------------------------------------------------------------------------------------
    def capture_output(self) -> None:
        sys.stdout = LineTee(self, sys.stdout, "out")
        sys.stderr = LineTee(self, sys.stderr, "err")
        # Code that reaches for the original stream is captured too (sys's own "final" names, replaced on purpose).
        sys.__stdout__ = sys.stdout  # type: ignore[misc,assignment]
        sys.__stderr__ = sys.stderr  # type: ignore[misc,assignment]
