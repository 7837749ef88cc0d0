"""What every harness process shares: the trace, the current context, student locations, captured output.

A *context* is whatever did a piece of work: the main program, a thread, a process or an asyncio task.  The
concurrency model in use (``_vthreads``, ``_vasync``, ``_vproc``) tells the probe how to read the clock and
which context is running; the probe turns prints, crashes and warnings into trace events tagged with both.
"""

from __future__ import annotations

import io
import os
import sys
import traceback
import types
from collections.abc import Callable
from typing import Any, TextIO

from coursekit._engine.trace import TraceWriter


class Probe:
    def __init__(self, writer: TraceWriter, student_files: list[str]) -> None:
        self.writer = writer
        self.student_files = {os.path.realpath(f) for f in student_files}
        self.clock: Callable[[], float] = lambda: 0.0
        self.context: Callable[[], str] = lambda: "main"
        self.phase = "setup"

    # -- events ---------------------------------------------------------------------------------------
    def emit(self, event: str, /, **fields: Any) -> None:
        fields.setdefault("t", round(self.clock(), 9))
        fields.setdefault("id", self.context())
        self.writer.emit(event, **fields)

    def is_student(self, code: types.CodeType) -> bool:
        return os.path.realpath(code.co_filename) in self.student_files

    def where(self, frame: types.FrameType | None = None) -> str:
        """The innermost student line on the stack, as ``file.py:12 in func`` (or ``""``)."""
        f: types.FrameType | None = frame if frame is not None else sys._getframe(1)
        while f is not None:
            if self.is_student(f.f_code):
                return f"{os.path.basename(f.f_code.co_filename)}:{f.f_lineno} in {f.f_code.co_name}"
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

    def crash(self, exc: BaseException, **extra: Any) -> None:
        msg = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        self.emit("crash", exc=type(exc).__name__, msg=msg[:500], where=self.where_tb(exc.__traceback__), **extra)

    def problem(self, kind: str, detail: str = "", where: str | None = None, **extra: Any) -> None:
        self.emit("problem", kind=kind, detail=detail, where=self.where() if where is None else where, **extra)

    # -- output -----------------------------------------------------------------------------------------
    def capture_output(self) -> None:
        sys.stdout = LineTee(self, sys.stdout, "out")
        sys.stderr = LineTee(self, sys.stderr, "err")
        # Code that reaches for the original stream is captured too (sys's own "final" names, replaced on purpose).
        sys.__stdout__ = sys.stdout  # type: ignore[misc,assignment]
        sys.__stderr__ = sys.stderr  # type: ignore[misc,assignment]


class LineTee(io.TextIOBase):
    """A text stream that records every complete line at the moment it is written, tagged with its context.

    Lines are recorded when written, not when flushed: a worker's ``print`` is an event at the worker's time,
    whatever the buffering of the real stream (which still receives everything, for people to read).
    """

    def __init__(self, probe: Probe, real: Any, stream: str) -> None:
        self._probe = probe
        self._real: TextIO = real
        self._stream = stream
        self._partial: dict[str, str] = {}

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._real.fileno()

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        ctx = self._probe.context()
        text = self._partial.pop(ctx, "") + s
        *lines, rest = text.split("\n")
        for line in lines:
            self._probe.emit("line", text=line, stream=self._stream, phase=self._probe.phase, id=ctx)
        if rest:
            self._partial[ctx] = rest
        try:
            self._real.write(s)
        except (OSError, ValueError):
            pass
        return len(s)

    def flush(self) -> None:
        try:
            self._real.flush()
        except (OSError, ValueError):
            pass

    def drain(self) -> None:
        """Record what was written without a final newline (at the end of a run)."""
        for ctx, rest in list(self._partial.items()):
            self._probe.emit("line", text=rest, stream=self._stream, phase=self._probe.phase, id=ctx, partial=True)
        self._partial.clear()
