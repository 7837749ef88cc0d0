"""Checks for programs made of processes: pools that really run in parallel, child processes that are started
together, joined and exit cleanly, queues that are drained, and shared values whose updates are never lost.

Which worker process takes which task is a real-time race, so none of these checks looks at it: they read the
structure of the program (what was submitted before what was collected, what was started before what was
joined, which item was received how many times) and the logical-time replay of shared values
(``coursekit._engine.replay``), all of which are the same in every run.  Expectations come from the reference
run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from coursekit._engine import events
from coursekit._engine.events import is_main
from coursekit._engine.processes.schedule import IdealSlots
from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit._judge.moments import TICK
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._peak import most_open, peak_overlap
from coursekit.checks._unfinished import unless_ran_to_end
from coursekit.scenarios import MARK

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline

HELPERS = ("resource_tracker", "forkserver", "multiprocessing")  # helpers, or children the trace already judges


def _events(tl: Timeline, kind: str) -> list[dict[str, Any]]:
    return [ev for ev in tl.events if ev["e"] == kind]


# -- pools ----------------------------------------------------------------------------------------------------
def _locked_work(tl: Timeline) -> dict[str, dict[str, Any]]:
    """For each pool call (by uid) that did named work while holding a process lock: that lock's acquire event
    (the innermost lock held at the call's first piece of work)."""
    held: dict[str, list[dict[str, Any]]] = {}
    out: dict[str, dict[str, Any]] = {}
    for ev in tl.events:
        uid = events.pool_call_of(str(ev.get("id", "")))
        if uid is None:
            continue
        if ev["e"] == events.LOCK:
            mine = held.setdefault(uid, [])
            if ev.get("op") == "acquire":
                mine.append(ev)
            else:
                held[uid] = [h for h in mine if h.get("lock") != ev.get("lock")]
        elif ev["e"] == events.WORK and held.get(uid) and uid not in out:
            out[uid] = held[uid][-1]
    return out


def _one_lock(mine: list[dict[str, Any]], locked: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The lock every call of a pool held around its work, if there is one (and two calls or more): the calls
    then ran one at a time, however many workers the pool had."""
    if len(mine) < 2 or not all(ev["task"] in locked for ev in mine):
        return None
    names = {locked[ev["task"]].get("lock") for ev in mine}
    return locked[mine[0]["task"]] if len(names) == 1 else None


def _pool_overlap(tl: Timeline) -> tuple[int, dict[str, Any]]:
    """The most pool calls busy at once in an ideal pool, and facts for messages.

    Each call lasts its logical time plus its measured CPU time (always > 0 for real work), starts when a
    worker slot is free, and never before the calls whose results the program had already collected when it
    submitted this one (``after``): a program that waits for each result before submitting the next runs its
    calls one after another whatever the pool's size.
    """
    tasks = _events(tl, events.POOL_TASK)
    ends = {ev["task"]: ev for ev in _events(tl, events.TASK_END)}
    facts: dict[str, Any] = {"tasks": len(tasks), "slots": max((ev.get("slots", 1) for ev in tasks), default=0)}
    best = 0
    locked = _locked_work(tl)
    for pool in sorted({ev.get("pool", "") for ev in tasks}):
        mine = [ev for ev in tasks if ev.get("pool") == pool]
        slots = max(1, int(mine[0].get("slots", 1)))
        lock = _one_lock(mine, locked)
        if lock is not None:  # one lock around the work of every call: one call at a time
            slots = 1
            facts.setdefault("lock", lock)
        ideal = IdealSlots(slots)
        spans: dict[str, tuple[float, float]] = {}
        for ev in mine:
            uid = ev["task"]
            cost = float(ends.get(uid, {}).get("cpu", 0.0)) + TICK  # a call takes a tick at least
            sched = tl.contexts.get(events.pool_call_id(uid))
            if sched is not None and sched.end is not None:
                cost += sched.end - sched.start
            ready = max([spans[u][1] for u in ev.get("after", []) if u in spans], default=0.0)
            spans[uid] = ideal.place(ready, cost)
        best = max(best, peak_overlap((uid, a, b) for uid, (a, b) in spans.items()).most)
        facts["most_calls"] = max(facts.get("most_calls", 0), len(mine))  # in one pool (one per scenario, say)
    return best, facts


class PoolParallel(Check):
    """The work was handed to a process pool and at least two of its calls ran at once in different workers.

    No speed-up is measured (the grading machine may have one core): what is checked is that the program let
    the pool run calls side by side, as many as the reference did (at most 2 are required).
    """

    shape = True  # judged under the tie schedules only (Check.shape)

    name = "parallel"
    title = "the work runs in a process pool, several calls at once"
    needs = frozenset({Needs.WORKER})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        want = min(2, _pool_overlap(expected)[0])
        got, facts = _pool_overlap(observed)
        fix = ("Hand all the work to the pool at once (pool.map(f, items), or submit every call first and only "
               "then collect the results), with a pool of at least 2 processes.")
        if not facts["tasks"]:
            stopped = unless_ran_to_end(observed)
            if stopped:
                return stopped
            return Verdict(False, "No call went to a process pool: the work ran in the main program (or in "
                           "threads).", [Finding("no-pool", "", "Use multiprocessing.Pool or "
                                                 "concurrent.futures.ProcessPoolExecutor.")])
        if any(ev.get("root") for ev in _events(observed, events.TASK_BEGIN)):
            return Verdict(False, "The pool's calls ran inside the main process (a pool of threads), not in "
                           "worker processes.", [Finding("thread-pool", "", "Use multiprocessing.Pool or "
                                                         "ProcessPoolExecutor, not a thread pool.")])
        if got >= want:
            return _pool_sizes(observed, expected)
        if facts.get("lock") and facts["slots"] >= 2:
            return Verdict(False, "Every call of the pool held the same lock around its work, so only one worker "
                           "at a time could do its work: the calls ran one after another.",
                           [Finding("sequential", "", "Take no lock around the work itself: the calls share "
                                    "nothing.")])
        if facts["slots"] < 2:
            what = f"The pool has {facts['slots']} worker process, so its calls ran one after another."
            return Verdict(False, what, [Finding("one-worker", "", "Create the pool with 2 or more processes.")])
        if facts.get("most_calls", facts["tasks"]) < 2:
            return Verdict(False, "All the work went into a single call of the pool, so one worker did it all "
                           "while the others had nothing to do.", [Finding("one-chunk", "", "Let the pool split "
                                                                          "the work: one call per item.")])
        return Verdict(False, "The calls ran one after another: each result was collected before the next call "
                       "was submitted, so the pool never had two calls to run at once.",
                       [Finding("sequential", "", fix)])


def _sizes(tl: Timeline) -> dict[str, set[int]]:
    """The sizes of the pools that ran calls, by the scenario they ran in (``coursekit.scenarios``; ``""``
    without scenarios)."""
    out: dict[str, set[int]] = {}
    label = ""
    for ev in tl.events:
        if ev["e"] == events.LINE and (m := MARK.match(str(ev.get("text", "")))):
            label = m.group(2)
        elif ev["e"] == events.POOL_TASK:
            out.setdefault(label, set()).add(int(ev.get("slots", 1)))
    return out


def _pool_sizes(observed: Timeline, expected: Timeline) -> Verdict:
    """Each pool has as many worker processes as the reference's pool in the same scenario: a size written into
    the program (``Pool(2)`` whatever it is asked for) shows on the scenarios of another size.  (A scenario where
    the reference used no pool, or the program none, says nothing about sizes.)"""
    want = _sizes(expected)
    for label, sizes in _sizes(observed).items():
        wrong = sorted(sizes - want.get(label, sizes))
        if wrong:
            right = " or ".join(str(n) for n in sorted(want[label]))
            said = f"With {label}: the" if label else "The"
            return Verdict(False, f"{said} pool had {wrong[0]} worker process{'es' if wrong[0] != 1 else ''}, "
                           f"where {right} {'was' if right == '1' else 'were'} expected.",
                           [Finding("worker-count", "", "Create the pool with the number of workers you were given "
                                    "(its parameter), not a number of your own.")])
    return OK


# -- child processes ------------------------------------------------------------------------------------------
def _children(tl: Timeline) -> list[str]:
    return [c.id for c in tl.contexts.values() if c.kind == "process" and events.pool_call_of(c.id) is None]


def _most_at_once(tl: Timeline) -> int:
    """The most child processes the main program had started and not yet joined, in its own order."""

    def steps() -> Iterator[tuple[float, str, bool]]:
        for ev in tl.events:
            if ev["e"] == events.SPAWN and ev.get("kind") == "process" and is_main(ev.get("parent", "")):
                yield 0.0, ev["id"], True
            elif ev["e"] == events.JOIN and ev.get("done") and is_main(ev.get("id", "")):
                yield 0.0, ev["target"], False

    return most_open(steps()).most


class ConcurrentChildren(Check):
    """As many child processes running at once as in the reference (started together, joined afterwards)."""

    shape = True  # judged under the tie schedules only (Check.shape)

    name = "concurrency"
    title = "the worker processes run at the same time"
    needs = frozenset({Needs.WORKER})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        want, got = _most_at_once(expected), _most_at_once(observed)
        if got >= want:
            return OK
        stopped = unless_ran_to_end(observed) if not _children(observed) else None
        if stopped:
            return stopped
        if not _children(observed):
            return Verdict(False, f"No worker process was started; {want} were expected to run at the same time.",
                           [Finding("no-process", "", "Start the workers with multiprocessing.Process "
                                    "(threads do not count here).")])
        return Verdict(False, f"At most {got} worker process(es) ran at the same time; {want} were expected.",
                       [Finding("sequential", "", "Start every worker process first, and only then join them "
                                "(one join() right after each start() runs them one after another).")])


class ChildProcesses(Check):
    """Every child process was joined by the main program and exited with code 0; nothing was left behind."""

    name = "children"
    title = "every child process is joined and exits cleanly, none is left behind"
    needs = frozenset({Needs.WORKER})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        stopped = unless_ran_to_end(observed)
        if stopped:
            return stopped
        ends = {ev["id"]: ev for ev in _events(observed, events.END) if ev["id"] in observed.contexts}
        joined = {j["target"] for j in observed.joins if j.get("done") and j.get("phase") == "main"}
        killed = {k["target"]: k for k in observed.kills}
        problems: dict[str, list[str]] = {}
        for cid in sorted(_children(observed)):
            if cid in killed:
                what = f"stopped with {killed[cid]['how']}() instead of being told to stop (a sentinel)"
            elif cid not in ends or ends[cid].get("code", 0) != 0:
                code = ends.get(cid, {}).get("code")
                what = f"exited with code {code}" if code is not None else "never ended"
            elif cid not in joined:
                what = "never joined (a finished child that is not joined stays a zombie until its parent exits)"
            else:
                continue
            problems.setdefault(what, []).append(cid.split(":", 1)[-1])
        lines = [f"{', '.join(names[:4])}{' and others' if len(names) > 4 else ''} "
                 f"{'was' if len(names) == 1 else 'were'} {what}" if not what.startswith("exited") and
                 not what.startswith("never ended") else f"{', '.join(names[:4])} {what}"
                 for what, names in problems.items()]
        # (an empty command line is a process that was already exiting when the supervisor looked)
        leftovers = [x for x in observed.status.get("leftovers", [])
                     if x.get("cmd") and not any(h in x["cmd"] for h in HELPERS)]
        if leftovers:
            lines.append(f"{len(leftovers)} process(es) were still running after the program ended (orphans)")
        if not lines:
            return OK
        msg = "Child processes: " + "; ".join(lines) + "."
        return Verdict(False, msg, diagnose(observed, only={"killed-worker"}) or
                       [Finding("children", "", "Let each worker return on its own (a sentinel tells it to stop), "
                                "then join() every one before main() goes on.")])


# -- queues -------------------------------------------------------------------------------------------------
class QueuesDrained(Check):
    """Every item put on a multiprocessing queue (or sent down a pipe) was received exactly once."""

    name = "queues"
    title = "every item put on a queue is taken off exactly once"
    needs = frozenset({Needs.WORKER})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        stopped = unless_ran_to_end(observed)
        if stopped:
            return stopped
        puts = {ev["uid"]: ev for ev in _events(observed, events.QUEUE_PUT)}
        gets = Counter(ev["uid"] for ev in _events(observed, events.QUEUE_GET))
        if _events(expected, events.QUEUE_PUT) and not puts:
            return Verdict(False, "No item went through a multiprocessing queue.",
                           [Finding("no-queue", "", "Send the tasks and the results through "
                                    "multiprocessing.Queue objects shared with the workers.")])
        left = [ev for uid, ev in puts.items() if gets[uid] == 0]
        twice = [puts[uid] for uid, n in gets.items() if n > 1 and uid in puts]
        if not left and not twice:
            return OK
        parts = []
        if left:
            items = Counter(ev.get("item", "?") for ev in left)
            shown = ", ".join(f"{item}" + (f" (x{n})" if n > 1 else "") for item, n in items.most_common(4))
            parts.append(f"{len(left)} item(s) put on a queue were never taken off: {shown}")
        if twice:
            parts.append(f"{len(twice)} item(s) were received more than once")
        fix = ("Put exactly one sentinel per worker, and collect exactly one result per task."
               if left else "Take each item off the queue once.")
        return Verdict(False, "; ".join(parts) + ".", [Finding("leftover", "", fix)])


# -- shared values -------------------------------------------------------------------------------------------
def _shared(tl: Timeline) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for ev in _events(tl, events.SHARED):
        out.setdefault(ev["obj"], []).append(ev)
    return out


def _worker_writes(accesses: list[dict[str, Any]]) -> set[str]:
    return {ev["id"] for ev in accesses if ev.get("op") == "write" and not is_main(ev["id"])}


def _final_values(tl: Timeline) -> list[Any]:
    """The replayed final value of every shared value the workers updated, in the order main created them (one
    per scenario of a driver, say).  Why in creation order: main's own events keep its program order, whatever
    the workers' real timing; picking "the value updated most" depended on it when two tied."""
    objs = {n: a for n, a in _shared(tl).items() if _worker_writes(a)}
    if not objs:
        return []
    from coursekit._engine.replay import replay  # here: only a judged run needs it

    created = [str(ev["obj"]) for ev in tl.events if ev["e"] == events.SHARED and ev.get("op") == "init"]
    first = {name: i for i, name in reversed(list(enumerate(created)))}
    return [replay(objs[n]).value for n in sorted(objs, key=lambda n: (first.get(n, len(first)), n))]


class SharedUpdates(Check):
    """No update of a shared value is lost, judged by replaying its reads and writes in logical-time order.

    The replay does not depend on how the operating system interleaved the processes, so a missing or
    misplaced lock fails every time, not only when the race happens to strike.
    """

    name = "shared"
    title = "no update of the shared value is lost"
    needs = frozenset({Needs.WORKER})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        objs = {n: a for n, a in _shared(observed).items() if _worker_writes(a)}
        if not objs:
            stopped = unless_ran_to_end(observed)
            if stopped:
                return stopped
            if any(ev.get("op") == "write" and is_main(ev["id"]) for a in _shared(observed).values() for ev in a):
                return Verdict(False, "Only main updated the shared value: the worker processes made none of the "
                               "additions, so the work was not done where it should be.",
                               [Finding("work-in-main", "", "Let each worker make its own additions to the shared "
                                        "value; main only starts the workers, joins them and reads the result.")])
            return Verdict(False, "No worker process updated a multiprocessing.Value: a plain variable is copied "
                           "into each process, so the main program never sees the workers' updates.",
                           [Finding("not-shared", "", "Create the counter with multiprocessing.Value and pass it "
                                    "to every worker.")])
        from coursekit._engine.replay import replay  # here: only a judged run needs it

        for _obj, accesses in sorted(objs.items()):
            result = replay(accesses)
            if result.lost:
                lost = result.lost[0]
                r, w, by = lost.read, lost.write, lost.by
                read, other_wrote, wrote = lost.values
                ctx, other = _name(observed, lost.writer), _name(observed, by["id"])
                msg = (f"Updates were lost: {ctx} read the value ({read}) at {r['t']:g} s{_at(r)}; {other} wrote "
                       f"{other_wrote} at {by['t']:g} s; then {ctx} wrote {wrote} at {w['t']:g} s{_at(w)}, over the "
                       f"update of {other}.{_lost_in_all(accesses, result.value, result.writes)}")
                fix = _lock_fix(r, w, by)
                return Verdict(False, msg, [Finding("lost-update", "", fix)])
        want, got = _final_values(expected), _final_values(observed)
        differ = next(((g, w) for g, w in zip(got, want, strict=False) if g != w), None)
        if want and differ is None and len(got) != len(want):
            differ = (got[-1] if len(got) > len(want) else None, want[-1] if len(want) > len(got) else None)
        if want and differ is not None:
            g, w = differ
            return Verdict(False, f"The shared value ended at {g}; it should end at {w}." if g is not None and w
                           is not None else f"Your workers updated {len(got)} shared value(s); the reference's "
                           f"updated {len(want)}.",
                           [Finding("count", "", "Each worker must add its share exactly once.")])
        return _spread(observed, expected)


def _writers(tl: Timeline) -> dict[str, set[str]]:
    """The worker processes that wrote each scenario's shared values (``coursekit.scenarios``; ``""`` without
    scenarios): a value belongs to the scenario in which main created it."""
    objs = _shared(tl)
    scenario_of: dict[str, str] = {}
    label = ""
    for ev in tl.events:
        if ev["e"] == events.LINE and (m := MARK.match(str(ev.get("text", "")))):
            label = m.group(2)
        elif ev["e"] == events.SHARED and ev.get("op") == "init":
            scenario_of.setdefault(str(ev["obj"]), label)
    out: dict[str, set[str]] = {}
    for obj, accesses in objs.items():
        out.setdefault(scenario_of.get(obj, ""), set()).update(_worker_writes(accesses))
    return out


def _spread(observed: Timeline, expected: Timeline) -> Verdict:
    """Where the reference's updates come from several worker processes, the program's do too: one process
    making every addition while the others do nothing is the work done in the wrong place."""
    want = _writers(expected)
    for label, got in _writers(observed).items():
        need = len(want.get(label, ()))
        if need >= 2 and len(got) == 1:
            said = f"With {label}: every" if label else "Every"
            return Verdict(False, f"{said} update of the shared value was made by one worker process "
                           f"({_name(observed, next(iter(got)))}); {need} worker processes should share them.",
                           [Finding("work", "", "Give every worker its own share of the additions (the same "
                                    "function and arguments for each), so that they all update the value.")])
    return OK


def _lost_in_all(accesses: list[dict[str, Any]], final: Any, writes: int) -> str:
    """How many updates are missing from the final value, counted from the updates themselves.

    The replay's list of overwrites is not that count (one overwrite can undo several updates, and several
    overwrites one), so the sentence is built from what each write meant to add and what the value ended at;
    it is left out when the updates are not all the same number.
    """
    start: Any = 0
    last_read: dict[str, Any] = {}
    steps: list[Any] = []
    for ev in sorted(accesses, key=lambda e: (float(e["t"]), int(e.get("lc", 0)), str(e.get("id", "")))):
        op, value, ctx = ev.get("op"), ev.get("value"), str(ev.get("id", ""))
        if op == "init":
            start, steps = value, []
        elif op == "read":
            last_read[ctx] = value
        elif op == "write" and ctx in last_read:
            steps.append(value - last_read.pop(ctx) if _is_number(value) and _is_number(last_read[ctx]) else None)
    if not steps or not _is_number(final) or not _is_number(start) or len(set(steps)) != 1 or not steps[0]:
        return ""
    missing = round((start + steps[0] * len(steps) - final) / steps[0])
    if missing <= 0:
        return ""
    return (f" In all, {writes} updates were written and the value ended at {final}: {missing} of them were lost "
            "(replayed in logical-time order, whatever order the processes really ran in).")


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _lock_fix(read: dict[str, Any], write: dict[str, Any], by: dict[str, Any]) -> str:
    """The advice that fits the locks the trace shows held at the read, the write and the write in between."""
    common = set(read.get("held") or []) & set(write.get("held") or [])
    if not common:
        return ("Hold one lock, shared by every process, across the whole read-pause-write (`with lock:` around "
                "all three lines).")
    if common & set(by.get("held") or []):
        return ("The lock was let go between the read and the write, so another process wrote in between: hold it "
                "across the whole read-pause-write, in one `with lock:` block.")
    return "Every process must use the same lock: create it once in the main program and pass it to the workers."


def _name(tl: Timeline, cid: str) -> str:
    """``Process-2 (increment())``: a process's name, and its function when it has one."""
    c = tl.ctx(cid)
    name = cid.split(":", 1)[-1] if not is_main(cid) else "main"
    return f"{name} ({c.target}())" if c.target and not c.target.endswith(".run") else name


def _at(ev: dict[str, Any]) -> str:
    return f" ({ev['where']})" if ev.get("where") else ""


__all__ = ["ChildProcesses", "ConcurrentChildren", "PoolParallel", "QueuesDrained", "SharedUpdates"]
