"""Synchronization edges, recorded where they happen (child side only): who released what another acquired.

Why: two lines in the right order at the right virtual time may be so only by luck (main slept as long as the
work takes instead of waiting for it).  The judge tells luck from cause with vector clocks
(``coursekit._judge.causality``), which need, besides each context's own order, every edge by which one context
waits for another: a lock released then acquired, a wake-up, a queue item.  Starts, ends and joins are already
in the trace (``spawn``, ``end``, ``join``); this module writes the rest as ``sync`` events.

A released object keeps only *where* it was released (``Release``: the context and its position in this
process's trace); an edge is written when another context acquires it, at most once per source position, so a
thread that takes its own lock a million times writes nothing.  Edges do not count toward the run's event
limit, but they are bounded (``limit``): past it one ``lost`` event tells the judge the order is incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from coursekit._engine import events
from coursekit._engine.probe import Probe

AT_END = -1
"""``at`` of an edge from a context's end (a task awaited, or gathered, after it had already finished)."""


class Release(NamedTuple):
    """Where something was released: by context ``ctx``, after ``at`` events of this process's trace (a tuple:
    a lock makes one at every release)."""

    ctx: str
    at: int


@dataclass
class Edges:
    """The run's recorder of synchronization edges (one per process)."""

    probe: Probe
    limit: int = 200_000
    written: int = 0
    lost: bool = False
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    """(acquirer, source) -> the latest source position already joined (joining an earlier one adds nothing)."""
    keys: dict[int, str] = field(default_factory=dict)

    def here(self, ctx: str | None = None) -> Release:
        """The calling context (or ``ctx``), at this point of the trace."""
        return Release(ctx if ctx is not None else self.probe.context(), self.probe.writer.position())

    def key(self, obj: object, what: str) -> str:
        """A key for ``obj`` stable within the run (its kind and the order it was first used), never its repr."""
        k = self.keys.get(id(obj))
        if k is None:
            k = self.keys[id(obj)] = f"{what}{len(self.keys) + 1}"
        return k

    def acquire(self, src: Release | None, obj: str, what: str, into: str | None = None) -> None:
        """Context ``into`` (the caller by default) goes on after what ``src`` did before its release."""
        if src is None:
            return
        me = into if into is not None else self.probe.context()
        if src.ctx == me:
            return
        pair = (me, src.ctx)
        last = self.seen.get(pair)
        if last is not None and (last == AT_END or (src.at != AT_END and src.at <= last)):
            return
        self.seen[pair] = src.at
        if self.written >= self.limit:
            if not self.lost:
                self.lost = True
                self.probe.emit(events.SYNC, id=me, src=src.ctx, at=src.at, obj=obj, what=what, op="lost",
                                counted=False)
            return
        self.written += 1
        self.probe.emit(events.SYNC, id=me, src=src.ctx, at=src.at, obj=obj, what=what, op="acquire", counted=False)


class Board:
    """What several contexts released into one object (an asyncio queue, event, semaphore): the latest release
    of each, so that an acquire is after every release before it (conservative: never a missing edge)."""

    __slots__ = ("releases",)

    def __init__(self) -> None:
        self.releases: dict[str, Release] = {}

    def release(self, edges: Edges) -> None:
        here = edges.here()
        self.releases[here.ctx] = here

    def acquire(self, edges: Edges, obj: str, what: str) -> None:
        for src in list(self.releases.values()):
            edges.acquire(src, obj, what)
