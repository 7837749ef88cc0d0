"""Replay the reads and writes of one shared value in logical-time order, and find the updates that were lost.

Used on both sides: by the judge (``checks.SharedUpdates``) and by the main program when it reads a shared value
after its workers (``processes/messages.py``).  Accesses are ordered by ``(t, lc, context)``: logical time first,
then the Lamport counter, which never puts an effect before its cause.  That order depends only on the program,
never on how the operating system really interleaved the processes.

A write is replayed as "what this context last read, plus what it added": if it read 4 and wrote 5, the replayed
write is (replayed read) + 1.  If another context wrote between a context's read and its write, that other
write is overwritten: a *lost update*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Lost:
    """One lost update: ``writer`` read at ``read``, someone else (``by``) wrote, then ``writer`` wrote over it."""

    writer: str
    read: dict[str, Any]
    write: dict[str, Any]
    by: dict[str, Any]
    values: tuple[Any, Any, Any] = (None, None, None)  # replayed: what was read, what ``by`` wrote, what was written


@dataclass
class Replay:
    value: Any = None
    writes: int = 0
    lost: list[Lost] = field(default_factory=list)
    writers: set[str] = field(default_factory=set)


def order_key(ev: dict[str, Any]) -> tuple[float, int, str]:
    return (float(ev["t"]), int(ev.get("lc", 0)), str(ev.get("id", "")))


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def replay(accesses: list[dict[str, Any]]) -> Replay:
    """Replay ``shared`` events (``op`` init / read / write, ``value``) of one object."""
    out = Replay()
    version = 0
    last_write: dict[str, Any] | None = None
    last_value: Any = None
    pending: dict[str, tuple[Any, Any, int, dict[str, Any]]] = {}  # ctx -> (replayed read, real read, version, ev)
    for ev in sorted(accesses, key=order_key):
        ctx, op, value = str(ev.get("id", "")), ev.get("op"), ev.get("value")
        if op == "init":
            out.value, version, last_write = value, version + 1, None
            pending.clear()
        elif op == "read":
            if out.value is None:
                out.value = value
            pending[ctx] = (out.value, value, version, ev)
        elif op == "write":
            out.writes += 1
            out.writers.add(ctx)
            base = pending.pop(ctx, None)
            if base is None:
                new = value
            else:
                replayed, real, seen, read_ev = base
                new = replayed + (value - real) if _number(replayed) and _number(value) and _number(real) else value
                if seen != version and last_write is not None and last_write.get("id") != ctx:
                    out.lost.append(Lost(ctx, read_ev, ev, last_write, (replayed, last_value, new)))
            out.value, version, last_write, last_value = new, version + 1, ev, new
    return out
