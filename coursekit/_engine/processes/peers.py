"""What the other processes of the tree have written so far: their end, how far they got, their shared events.

Why: logical time needs facts that only another process knows (when a child ended on its own clock, whether a
slow child is already past a moment), and processes that block in C cannot be asked.  Each writes its own trace
file (``coursekit._engine.trace``), so the answer is read from there, with the trace's own readers.
"""

from __future__ import annotations

import os
from typing import Any

from coursekit._engine import events, real
from coursekit._engine.processes.clock import probe
from coursekit._engine.trace import read_events, read_tail


def end_event(pid: int | None) -> dict[str, Any] | None:
    """The ``end`` event of a child process, from its own trace file (``None`` if it never said)."""
    if pid is None:
        return None
    try:
        said = [ev for ev in read_events(probe().writer.path_of(pid), events.END) if ev.get("pid") == pid]
    except OSError:
        return None
    return said[-1] if said else None


def end_time(pid: int | None) -> float | None:
    """The logical end of a child process (``None`` if it never said)."""
    event = end_event(pid)
    return None if event is None else float(event["t"])


def end_lamport(pid: int | None) -> int | None:
    """The Lamport counter of a child process's end (``None`` if it never said)."""
    event = end_event(pid)
    return None if event is None else event.get("lc")


def progress_of(pid: int | None) -> float:
    """The latest logical time a child has reported (how far it got; ``-1`` if nothing yet)."""
    if pid is None:
        return float("inf")
    try:
        tail = read_tail(probe().writer.path_of(pid))
    except OSError:
        return -1.0
    return float(tail[-1].get("t", -1.0)) if tail else -1.0


def wait_past(proc: Any, now: float, deadline: float) -> None:
    """Wait (really) until child ``proc`` has ended, or got past logical time ``now``, or ``deadline`` passed."""
    while proc._popen is not None and proc._popen.poll() is None and real.monotonic() < deadline:
        if progress_of(proc.pid) > now:
            return
        real.sleep(0.002)


def all_events(kind: str) -> list[dict[str, Any]]:
    """Every event of ``kind`` written so far by any process of the tree."""
    out = []
    directory = probe().writer.directory
    for entry in os.listdir(directory):
        if entry.endswith(".jsonl"):
            try:
                out.extend(read_events(os.path.join(directory, entry), kind))
            except OSError:
                continue
    return out
