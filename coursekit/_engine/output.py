"""Captured output: every line a program prints becomes a trace event at the moment it is written.

Why its own module: the probe decides *what* an event says (time, context, student location); this decides
*when* printed text is a line.  ``Probe.capture_output`` installs a ``LineTee`` over ``sys.stdout`` and
``sys.stderr``; ``drain_partial_lines`` records, at the end of a run or of a process, what was written without a
final newline.
"""

from __future__ import annotations

import io
import sys
from _thread import get_native_id
from typing import TYPE_CHECKING, Any, TextIO

from coursekit._engine import events

if TYPE_CHECKING:
    from coursekit._engine.probe import Probe


class LineTee(io.TextIOBase):
    """A text stream that records every complete line at the moment it is written, tagged with its context.

    Lines are recorded when written, not when flushed: a worker's ``print`` is an event at the worker's time,
    whatever the buffering of the real stream (which still receives everything, for people to read: each context's
    text once its line is complete, so that two threads' halves of a line never mix).
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
        if rest:
            self._partial[ctx] = rest
        if lines:
            fn = self._probe.student_function(sys._getframe(1))
            tid = get_native_id()
            self._pass_on("\n".join(lines) + "\n")
            for line in lines:
                self._probe.emit(events.LINE, text=line, stream=self._stream, phase=self._probe.phase, id=ctx,
                                 fn=fn, tid=tid)
        return len(s)

    def _pass_on(self, text: str) -> None:
        """Complete lines go to the real stream at once, in one write, by the thread that printed them, *before*
        their events: seen from outside the run (``coursekit/_judge/observe.py``), every line of the trace was
        written by the thread its event names (a process killed between the two leaves a line written and not
        recorded, never one recorded and not written)."""
        try:
            self._real.write(text)
            self._real.flush()
        except (OSError, ValueError):
            pass

    def flush(self) -> None:
        try:
            self._real.flush()
        except (OSError, ValueError):
            pass

    def drain(self) -> None:
        """Record what was written without a final newline (at the end of a run)."""
        tid = get_native_id()
        for ctx, rest in list(self._partial.items()):
            self._pass_on(rest)
            self._probe.emit(events.LINE, text=rest, stream=self._stream, phase=self._probe.phase, id=ctx,
                             partial=True, tid=tid)
        self._partial.clear()


def drain_partial_lines() -> None:
    """Record what was written to ``sys.stdout`` and ``sys.stderr`` without a final newline (a run or a process
    is ending).  Streams the program replaced are left alone."""
    for stream in (sys.stdout, sys.stderr):
        drain = getattr(stream, "drain", None)
        if drain is not None:
            drain()
