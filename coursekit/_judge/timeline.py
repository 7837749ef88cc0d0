"""Judge side: the trace of one run as a model (contexts, lines, joins, problems), on one time axis.

This is the one reader of raw trace events.  Each kind, with its fields, is defined in
``coursekit._engine.events`` (and read here through those names): ``phase`` (import / guard / main / return /
done), ``spawn`` and ``end`` of a context, ``line`` (one printed line), ``sleep``, ``join``, ``kill``,
``problem``, ``crash``, ``error``, ``unstarted``, ``cancel`` (an asyncio task was asked to stop) and ``swallow``
(the program caught that cancellation), ``task`` / ``sched`` / ``task-begin`` / ``task-end`` (pool calls),
``qput`` / ``qget`` (an item through a queue or pipe), ``lock`` (a process lock), ``shared`` (a shared value
read or written), ``sync`` (a synchronization edge, read by ``coursekit._judge.causality``), ``work`` (a call
of a function the grader named as the work), ``preempt`` (an explored schedule switched threads where none
blocked) and ``schedule`` (the schedule the run followed), both read by ``coursekit._judge.exploring``, ``exit``
(the harness ended the run itself; a run without it was cut short).  Context ids are formatted and parsed by
``coursekit._engine.events`` too.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from coursekit._engine import events as ev_
from coursekit._engine.events import FIBER_MAIN, MAIN_IDS, is_main
from coursekit._judge.runner import RawRun

__all__ = ["MAIN_IDS", "Context", "Line", "Timeline", "build", "busy_interval", "is_main"]


@dataclass(frozen=True)
class Context:
    id: str
    kind: str  # main | thread | process | task
    target: str
    parent: str
    start: float
    end: float | None
    daemon: bool = False
    where: str = ""

    @property
    def label(self) -> str:
        if self.kind == "main":
            return "main"
        return f"{self.kind} {self.target or '?'}"


@dataclass(frozen=True)
class Line:
    t: float
    ctx: str
    text: str
    phase: str
    seq: int = field(default=-1, compare=False)
    """Its event's index in ``Timeline.events`` (``coursekit._judge.causality`` finds the line's causes by it)."""
    fn: str = field(default="", compare=False)
    """The student's function whose ``print`` wrote it (``""``: the grader's driver, or no student frame)."""


@dataclass
class Timeline:
    model: str
    contexts: dict[str, Context]
    lines: list[Line]  # standard output, in the order the program produced it
    err_lines: list[Line]
    joins: list[dict[str, Any]]
    kills: list[dict[str, Any]]
    problems: list[dict[str, Any]]
    crashes: list[dict[str, Any]]
    errors: list[dict[str, Any]]
    unstarted: list[dict[str, Any]]
    returned_at: float | None
    alive_at_return: list[str]
    main_is_async: bool | None
    completed: bool  # the harness itself ended the run (no os._exit, no kill, no wall-clock limit)
    status: dict[str, Any] = field(default_factory=dict)
    end_t: float = 0.0
    first_activity: dict[str, float] = field(default_factory=dict)
    last_activity: dict[str, float] = field(default_factory=dict)
    result: str | None = None  # repr() of what the entry point returned (None: it never returned)
    sleeps: list[dict[str, Any]] = field(default_factory=list)  # every sleep event: id, t, d (simulated work)
    lifecycle: list[tuple[str, str]] = field(default_factory=list)  # ("spawn" | "end", id) in trace order
    alive_waits: dict[str, dict[str, Any]] = field(default_factory=dict)  # at return: what each live worker waits on
    cancels: list[dict[str, Any]] = field(default_factory=list)  # task.cancel() calls: target, by, work, t
    ended_how: dict[str, str] = field(default_factory=dict)  # id -> done | error | cancelled | absorbed
    events: list[dict[str, Any]] = field(default_factory=list)  # every event kept, in timeline order
    positions: list[tuple[int, int]] = field(default_factory=list)
    """For each of ``events``: (its process's rank, its index in that process's trace file)."""
    causal: Any = None
    """The run's happens-before relation, made on first use by ``coursekit._judge.causality.of``."""

    def ctx(self, cid: str) -> Context:
        return self.contexts.get(cid) or Context(cid, "main" if is_main(cid) else "thread", "", "", 0.0, None)

    def workers(self) -> list[Context]:
        return [c for c in self.contexts.values() if c.kind != "main"]


def _merge_by_time(events: list[tuple[int, int, dict[str, Any]]]) -> list[tuple[int, int, dict[str, Any]]]:
    """The events of every process on one logical time axis, and at one instant in an order their causes allow.

    Sorted by time (to the nanosecond: sums of sleeps differ in the last bit), then by process; events of one
    instant are then put in causal order where the trace names a cause in another process: a child's first
    event after its ``spawn``, what follows a ``join`` that returned (or a ``sync`` on a pool call's result) after
    that context's ``end`` (or ``task-end``), a ``qget`` after its ``qput``.  Without this a parent's line
    printed right after ``join()`` came before the child's last line of that same instant, which a real run
    never prints."""
    events = sorted(events, key=lambda item: (round(item[2].get("t", 0.0), 9), item[0], item[1]))
    joins: dict[str, list[tuple[int, int]]] = {}  # context -> (rank, trace index) of each wait for its end
    for rank, seq, ev in events:
        if ev["e"] == ev_.JOIN and ev.get("done") and isinstance(ev.get("target"), str):
            joins.setdefault(ev["target"], []).append((rank, seq))
        elif ev["e"] == ev_.SYNC and ev.get("at") == -1 and isinstance(ev.get("src"), str):  # a pool call's result
            joins.setdefault(ev["src"], []).append((rank, seq))
    out: list[tuple[int, int, dict[str, Any]]] = []
    i = 0
    while i < len(events):
        j, t = i, round(events[i][2].get("t", 0.0), 9)
        while j < len(events) and round(events[j][2].get("t", 0.0), 9) == t:
            j += 1
        group = events[i:j]
        out += _causal_order(group, joins) if len({rank for rank, _, _ in group}) > 1 else group
        i = j
    return out


def _causal_order(group: list[tuple[int, int, dict[str, Any]]], joins: dict[str, list[tuple[int, int]]]
                  ) -> list[tuple[int, int, dict[str, Any]]]:
    """``group`` (events of one instant, by process then trace order) with each event after its causes in it."""
    import bisect
    import heapq

    spawned = {ev["id"]: k for k, (_, _, ev) in enumerate(group) if ev["e"] == ev_.SPAWN}
    put = {ev["uid"]: k for k, (_, _, ev) in enumerate(group) if ev["e"] == ev_.QUEUE_PUT and "uid" in ev}
    of_rank: dict[int, list[int]] = {}  # rank -> positions in group, in trace order
    deps: list[list[int]] = [[] for _ in group]
    for k, (rank, _, ev) in enumerate(group):
        mine = of_rank.setdefault(rank, [])
        if mine:
            deps[k].append(mine[-1])
        else:
            first = spawned.get(ev_.process_of(str(ev.get("id", ""))))
            if first is not None and group[first][0] != rank:
                deps[k].append(first)
        mine.append(k)
        if ev["e"] == ev_.QUEUE_GET and ev.get("uid") in put:
            deps[k].append(put[ev["uid"]])
    released: dict[str, list[tuple[int, int]]] = {}  # lock -> (lc, position) of its releases in this instant
    for k, (_, _, ev) in enumerate(group):
        if ev["e"] == ev_.LOCK and ev.get("op") == "release":
            released.setdefault(str(ev.get("lock", "")), []).append((int(ev.get("lc", 0)), k))
    for k, (rank, _, ev) in enumerate(group):  # an acquire after the releases it may have waited for
        if ev["e"] == ev_.LOCK and ev.get("op") == "acquire":
            lc = int(ev.get("lc", 0))
            deps[k].extend(r for rlc, r in released.get(str(ev.get("lock", "")), [])
                           if rlc < lc and group[r][0] != rank)
    for k, (end_rank, _, ev) in enumerate(group):  # what follows a join (or a call's result): after the end
        if ev["e"] not in (ev_.END, ev_.TASK_END):
            continue
        for rank, join_seq in joins.get(ev["id"], []):
            mine = of_rank.get(rank, [])
            after = bisect.bisect_right([group[m][1] for m in mine], join_seq)
            if rank != end_rank and after < len(mine):
                deps[mine[after]].append(k)
    _waker_goes_on(group, deps, of_rank)
    waiting = [len(d) for d in deps]
    users: list[list[int]] = [[] for _ in group]
    for k, d in enumerate(deps):
        for src in d:
            users[src].append(k)
    ready = [k for k, n in enumerate(waiting) if n == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while len(order) < len(group):
        if not ready:  # a cycle, which a sane trace never has: go on in time order from the first one left
            ready = [min(k for k in range(len(group)) if waiting[k] > 0)]
            waiting[ready[0]] = 0
        k = heapq.heappop(ready)
        order.append(k)
        for user in users[k]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, user)
    return [group[k] for k in order]


_WAITS = frozenset({ev_.JOIN, ev_.QUEUE_GET, ev_.SLEEP, ev_.SYNC, ev_.LOCK, ev_.KILL})
"""Events at which a process may stop to wait for another (of a lock's, only an acquire)."""


def _waker_goes_on(group: list[tuple[int, int, dict[str, Any]]], deps: list[list[int]],
                   of_rank: dict[int, list[int]]) -> None:
    """Within one instant, a process that another woke (a put it got, a lock it took, a start) goes on only after
    what the waker did next without waiting.

    Why: the waker is already running, and the woken process needs a real wake-up first, so for real the waker's
    next lines come first: a worker's line printed just before its last ``task_done()`` comes before the line
    its ``join()``-ing parent prints then (ordering by process put the parent's first, which no real run does).
    The waker's run is cut at its next event that may wait, so no cycle can form."""
    where = {k: (rank, i) for rank, ks in of_rank.items() for i, k in enumerate(ks)}
    for k in range(len(group)):
        rank = group[k][0]
        extra: list[int] = []
        for src in deps[k]:
            src_rank, i = where[src]
            if src_rank == rank:
                continue
            for nxt in of_rank[src_rank][i + 1:]:
                ev = group[nxt][2]
                if ev["e"] in _WAITS and not (ev["e"] == ev_.LOCK and ev.get("op") == "release"):
                    break
                extra.append(nxt)
        deps[k].extend(extra)


def build(raw: RawRun) -> Timeline:
    events: list[tuple[int, int, dict[str, Any]]] = []
    order = sorted(raw.events, key=lambda pid: (pid != raw.root_pid, pid))
    for rank, pid in enumerate(order):
        for seq, ev in enumerate(raw.events[pid]):
            events.append((rank, seq, ev))

    # Pool calls: shift their relative times by their place in the pool's schedule.
    sched = {ev["task"]: ev for _, _, ev in events if ev["e"] == ev_.POOL_SCHED}
    for _, _, ev in events:
        task = ev.get("task")
        if task in sched and ev["e"] not in (ev_.POOL_SCHED, ev_.POOL_TASK):
            ev["t"] = round(sched[task]["start"] + ev["t"], 9)

    # Kills are events of the logical timeline: what a killed process did after the moment is dropped.
    kill_at: dict[str, float] = {}
    for _, _, ev in events:
        if ev["e"] == ev_.KILL:
            kill_at[ev["target"]] = min(ev["t"], kill_at.get(ev["target"], float("inf")))
    killed_tasks = {uid: s["killed"] for uid, s in sched.items() if s.get("killed") is not None}

    def dropped(ev: dict[str, Any]) -> bool:
        cid = ev.get("id", "")
        top = ev_.process_of(cid)
        if top in kill_at and ev["t"] > kill_at[top] + 1e-9:
            return True
        task = ev.get("task")
        return task in killed_tasks and ev["t"] > killed_tasks[task] + 1e-9

    if raw.spec.model == "processes":  # one logical time axis: merge the processes by time
        events = _merge_by_time(events)
    # (nothing killed, the usual case: nothing to drop, and no look at each event)
    kept = [(rank, seq, ev) for rank, seq, ev in events if not dropped(ev)] if kill_at or killed_tasks else events
    events_list = [ev for _, _, ev in kept]

    contexts: dict[str, Context] = {}
    ends: dict[str, float] = {}
    tl = Timeline(
        model=raw.spec.model, contexts=contexts, lines=[], err_lines=[], joins=[], kills=[], problems=[],
        crashes=[], errors=[], unstarted=[], returned_at=None, alive_at_return=[], main_is_async=None,
        completed=False, status=raw.status,
    )
    tl.events = events_list
    tl.positions = [(rank, seq) for rank, seq, _ in kept]
    main_task: str | None = None
    for index, ev in enumerate(events_list):
        kind = ev["e"]
        t = float(ev.get("t", 0.0))
        tl.end_t = max(tl.end_t, t)
        if kind == ev_.SPAWN:
            ctx_kind = ev["kind"]
            if ctx_kind == "task" and main_task is None and ev.get("main"):
                main_task = ev["id"]
                ctx_kind = "main"
            contexts[ev["id"]] = Context(ev["id"], ctx_kind, ev.get("target", ""), ev.get("parent", ""), t, None,
                                         bool(ev.get("daemon")), ev.get("where", ""))
            tl.lifecycle.append(("spawn", ev["id"]))
        elif kind == ev_.POOL_TASK:
            cid = ev_.pool_call_id(ev["task"])
            contexts[cid] = Context(cid, "process", ev.get("target", ""), ev.get("id", ""), t, None)
        elif kind == ev_.POOL_SCHED:
            cid = ev_.pool_call_id(ev["task"])
            if cid in contexts:
                c = contexts[cid]
                contexts[cid] = Context(c.id, c.kind, c.target, c.parent, ev["start"], ev["end"], c.daemon, c.where)
        elif kind == ev_.END:
            ends[ev["id"]] = t
            tl.lifecycle.append(("end", ev["id"]))
            tl.ended_how[ev["id"]] = ev.get("how", "done")
        elif kind == ev_.CANCEL:  # line_index: how many lines were printed before it (what it caused comes after)
            tl.cancels.append({**ev, "line_index": len(tl.lines)})
        elif kind == ev_.SWALLOW:  # the program caught that cancellation: the timeout that asked for it never knew
            asked = [cancel for cancel in tl.cancels if cancel.get("target") == ev.get("target")][-1:]
            for cancel in asked:
                cancel["swallowed"] = True
        elif kind == ev_.SLEEP:
            tl.sleeps.append(ev)
            tl.first_activity.setdefault(ev["id"], t)
            tl.last_activity[ev["id"]] = max(tl.last_activity.get(ev["id"], t), t + float(ev.get("d", 0.0)))
        elif kind == ev_.LINE:
            tl.first_activity.setdefault(ev["id"], t)
            tl.last_activity[ev["id"]] = max(tl.last_activity.get(ev["id"], t), t)
            line = Line(t, ev["id"], ev["text"], ev.get("phase", ""), index, str(ev.get("fn", ""))[:200])
            (tl.lines if ev.get("stream") == "out" else tl.err_lines).append(line)
        elif kind == ev_.JOIN:
            tl.joins.append(ev)
        elif kind == ev_.KILL:
            tl.kills.append(ev)
        elif kind == ev_.PROBLEM:
            tl.problems.append(ev)
        elif kind == ev_.CRASH:
            tl.crashes.append(ev)
        elif kind == ev_.ERROR:
            tl.errors.append(ev)
        elif kind == ev_.UNSTARTED:
            tl.unstarted.append(ev)
        elif kind == ev_.PHASE:
            if ev["name"] == "main":
                tl.main_is_async = ev.get("is_async")
            elif ev["name"] == "done" and "result" in ev:
                tl.result = ev["result"]
            elif ev["name"] == "return" and tl.returned_at is None:
                tl.returned_at = t
                tl.alive_at_return = [a for a in ev.get("alive", []) if a != main_task]
                tl.alive_waits = {w["id"]: w for w in ev.get("waits", [])}
        elif kind == ev_.EXIT:
            tl.completed = True
    for cid, t in ends.items():
        if cid in contexts and contexts[cid].end is None:
            c = contexts[cid]
            contexts[cid] = Context(c.id, c.kind, c.target, c.parent, c.start, t, c.daemon, c.where)
    if main_task is not None:  # the task running main() *is* main
        main = FIBER_MAIN  # the thread that runs the event loop
        tl.lines = [dataclasses.replace(x, ctx=main) if x.ctx == main_task else x for x in tl.lines]
        tl.crashes = [{**c, "id": main} if c.get("id") == main_task else c for c in tl.crashes]
        for p in tl.problems:  # a deadlock lists what each task waits on: main's task is main
            if p.get("waits"):
                p["waits"] = [{**w, "id": main} if w.get("id") == main_task else w for w in p["waits"]]
        tl.cancels = [{**c, "target": main} if c.get("target") == main_task else c for c in tl.cancels]
        tl.cancels = [{**c, "by": main} if c.get("by") == main_task else c for c in tl.cancels]
        tl.cancels = [{**c, "via": main} if c.get("via") == main_task else c for c in tl.cancels]
        for c in list(contexts.values()):
            if c.parent == main_task:
                contexts[c.id] = Context(c.id, c.kind, c.target, main, c.start, c.end, c.daemon, c.where)
        del contexts[main_task]
    if raw.status.get("timed_out") or raw.status.get("supervisor_lost"):
        tl.completed = False
    return tl


def busy_interval(tl: Timeline, cid: str) -> tuple[float, float]:
    """When a context was doing work: from its first sleep or line to the end of its last one.

    Start and end events are not used when there is activity: a task's end is noticed by the event loop only
    when it next gets control, which a blocked loop delays.
    """
    if cid in tl.first_activity:
        return tl.first_activity[cid], tl.last_activity[cid]
    c = tl.ctx(cid)
    return c.start, c.end if c.end is not None else c.start
