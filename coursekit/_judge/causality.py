"""Happens-before over a run's printed lines: vector clocks from each context's own order plus its sync edges.

Why: two lines in the right order at the right virtual time may be so by cause (main joined the worker, then
printed) or only by time (main slept as long as the work takes).  The two print the same timeline; only the
second is wrong, and it is wrong on any machine where the work takes a little longer.  The order check
(``coursekit.checks._causal_order``) compares what is ordered by cause here with what is in the reference.

The edges come from the trace (``coursekit._engine.events``):

- ``spawn``: the starter's point of the start happens before everything the started context does;
- ``join`` that returned with the context ended: after that context's ``end``;
- ``sync`` (threads and asyncio: locks, and everything built on them; wake-ups of tasks; asyncio queues, events,
  semaphores, task groups): after what ``src`` did before its ``at``-th event of the same trace file, or its end;
- ``qget``: after the ``qput`` of the same item (queues and pipes between processes);
- ``lock`` acquire: after every release of that lock with a smaller Lamport counter (conservative);
- ``shared`` read: after every earlier write or init of that value by another context (conservative);
- ``task-begin`` of a pool call: after its submission (``task``).

Over-approximation is the rule when unsure: an extra edge can only make the check more lenient; a missing one
would make a correct program fail.  A trace that says it lost edges (``sync`` with ``op`` lost) has no causal
order at all (``complete`` is False) and the check then goes by time, as before.
"""

from __future__ import annotations

import bisect
import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coursekit._engine import events as ev_

if TYPE_CHECKING:
    from coursekit._judge.timeline import Line, Timeline

AT_END = -1  # as coursekit._engine.causal.AT_END: an edge from a context's end


@dataclass
class _Node:
    ctx: str
    pos: tuple[int, int]  # (process rank, index in its trace file); spawns sort first
    event: int  # index in Timeline.events
    srcs: list[int] = field(default_factory=list)
    lazy: list[tuple[str, int, int]] = field(default_factory=list)  # (ctx, rank, at) to resolve
    k: int = 0
    vc: dict[str, int] = field(default_factory=dict)


@dataclass
class Causality:
    """The vector clock of every causal event of one run; ``happens_before`` over its printed lines."""

    vc_of_event: dict[int, dict[str, int]]
    own: dict[int, tuple[str, int]]
    complete: bool
    edges: int

    def known(self, line: Line) -> bool:
        return line.seq in self.own

    def happens_before(self, a: Line, b: Line) -> bool:
        """Whether line ``a`` is ordered before line ``b`` by program order and synchronization."""
        if a.seq == b.seq or a.seq not in self.own or b.seq not in self.vc_of_event:
            return False
        ctx, k = self.own[a.seq]
        return self.vc_of_event[b.seq].get(ctx, 0) >= k

    def clock(self, line: Line) -> dict[str, int]:
        return self.vc_of_event.get(line.seq, {})

    def own_step(self, line: Line) -> tuple[str, int] | None:
        return self.own.get(line.seq)


def of(tl: Timeline) -> Causality:
    """The happens-before relation of ``tl`` (made once, then kept on the timeline)."""
    if tl.causal is None:
        tl.causal = build(tl)
    causal: Causality = tl.causal
    return causal


def _causal(ev: dict[str, Any]) -> bool:
    kind = ev["e"]
    if kind in (ev_.LINE, ev_.SPAWN, ev_.END, ev_.SYNC, ev_.QUEUE_PUT, ev_.QUEUE_GET, ev_.LOCK, ev_.SHARED,
                ev_.POOL_TASK, ev_.TASK_BEGIN, ev_.TASK_END):
        return True
    return kind == ev_.JOIN and bool(ev.get("done"))


def build(tl: Timeline) -> Causality:
    positions = tl.positions if len(tl.positions) == len(tl.events) else [(0, i) for i in range(len(tl.events))]
    nodes: list[_Node] = []
    complete = True
    for i, ev in enumerate(tl.events):
        if not _causal(ev):
            continue
        if ev["e"] == ev_.SYNC and ev.get("op") == "lost":
            complete = False
        rank, seq = positions[i]
        # a spawn is written by the starter but is the started context's first step
        pos = (-1, -1) if ev["e"] == ev_.SPAWN else (rank, seq)
        nodes.append(_Node(str(ev.get("id", "")), pos, i))
    by_ctx: dict[str, list[int]] = {}
    for n, node in sorted(enumerate(nodes), key=lambda item: (item[1].ctx, item[1].pos, item[1].event)):
        by_ctx.setdefault(node.ctx, []).append(n)
    for ns in by_ctx.values():
        for k, n in enumerate(ns):
            nodes[n].k = k + 1
    keys = {ctx: [nodes[n].pos for n in ns] for ctx, ns in by_ctx.items()}

    def last_before(ctx: str, rank: int, at: int) -> int | None:
        """The node of ``ctx`` that is its last step before index ``at`` of file ``rank`` (its end: at -1)."""
        ns = by_ctx.get(ctx)
        if not ns:
            return None
        if at == AT_END:
            return ns[-1]
        j = bisect.bisect_left(keys[ctx], (rank, at)) - 1
        return ns[j] if j >= 0 else None

    puts: dict[str, int] = {}
    ends: dict[str, int] = {}
    submits: dict[str, int] = {}
    releases: dict[str, list[tuple[int, int]]] = {}
    writes: dict[str, list[tuple[tuple[float, int], int]]] = {}
    for n, node in enumerate(nodes):
        ev = tl.events[node.event]
        kind = ev["e"]
        if kind == ev_.QUEUE_PUT:
            puts[ev.get("uid", "")] = n
        elif kind == ev_.END:
            ends[node.ctx] = n
        elif kind == ev_.POOL_TASK:
            submits[ev.get("task", "")] = n
        elif kind == ev_.LOCK and ev.get("op") == "release":
            releases.setdefault(ev.get("lock", ""), []).append((int(ev.get("lc", 0)), n))
        elif kind == ev_.SHARED and ev.get("op") in ("write", "init"):
            writes.setdefault(ev.get("obj", ""), []).append(((float(ev.get("t", 0.0)), int(ev.get("lc", 0))), n))
    n_edges = 0
    for node in nodes:
        ev = tl.events[node.event]
        kind = ev["e"]
        rank = positions[node.event][0]
        if kind == ev_.SPAWN and ev.get("parent"):
            node.lazy.append((str(ev["parent"]), rank, positions[node.event][1]))
        elif kind == ev_.JOIN:
            target = str(ev.get("target", ""))
            if target in ends:
                node.srcs.append(ends[target])
            else:
                node.lazy.append((target, rank, AT_END))
        elif kind == ev_.SYNC and ev.get("op") == "acquire":
            node.lazy.append((str(ev.get("src", "")), rank, int(ev.get("at", AT_END))))
        elif kind == ev_.QUEUE_GET and ev.get("uid") in puts:
            node.srcs.append(puts[ev["uid"]])
        elif kind == ev_.TASK_BEGIN and ev.get("task") in submits:
            node.srcs.append(submits[ev["task"]])
        elif kind == ev_.LOCK and ev.get("op") == "acquire":
            lc = int(ev.get("lc", 0))
            node.srcs.extend(r for rlc, r in releases.get(ev.get("lock", ""), [])
                             if rlc < lc and nodes[r].ctx != node.ctx)
        elif kind == ev_.SHARED and ev.get("op") == "read":
            me = (float(ev.get("t", 0.0)), int(ev.get("lc", 0)))
            node.srcs.extend(w for stamp, w in writes.get(ev.get("obj", ""), [])
                             if stamp < me and nodes[w].ctx != node.ctx)
        for ctx, r, at in node.lazy:
            if ctx == node.ctx:
                continue
            src = ends.get(ctx) if at == AT_END and ctx in ends else last_before(ctx, r, at)
            if src is not None:
                node.srcs.append(src)
        n_edges += len(node.srcs)

    # Kahn's order over program order plus edges (a cycle, which a sane trace never has, is cut where it closes).
    prev: dict[int, int] = {b: a for ns in by_ctx.values() for a, b in itertools.pairwise(ns)}
    waiting = [0] * len(nodes)
    after: dict[int, list[int]] = {}
    for n, node in enumerate(nodes):
        deps = {*node.srcs, *([prev[n]] if n in prev else [])} - {n}
        waiting[n] = len(deps)
        for d in deps:
            after.setdefault(d, []).append(n)
    ready = deque(n for n in range(len(nodes)) if waiting[n] == 0)
    done = [False] * len(nodes)
    remaining = len(nodes)
    while remaining:
        if not ready:  # a cycle: go on from the earliest node not done, without the edges that close it
            complete = False
            ready.append(next(n for n in range(len(nodes)) if not done[n]))
        n = ready.popleft()
        if done[n]:
            continue
        done[n] = True
        remaining -= 1
        node = nodes[n]
        vc: dict[str, int] = dict(nodes[prev[n]].vc) if n in prev else {}
        for s in node.srcs:
            if done[s]:
                for ctx, k in nodes[s].vc.items():
                    if vc.get(ctx, 0) < k:
                        vc[ctx] = k
        vc[node.ctx] = node.k
        node.vc = vc
        for m in after.get(n, ()):
            waiting[m] -= 1
            if waiting[m] == 0 and not done[m]:
                ready.append(m)
    return Causality(vc_of_event={node.event: node.vc for node in nodes},
                     own={node.event: (node.ctx, node.k) for node in nodes}, complete=complete, edges=n_edges)


__all__ = ["Causality", "build", "happens_before", "of"]


def happens_before(tl: Timeline, line_a: Line, line_b: Line) -> bool:
    """Whether ``line_a`` is ordered before ``line_b`` in run ``tl`` by cause, not only by time."""
    return of(tl).happens_before(line_a, line_b)
