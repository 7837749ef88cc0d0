"""Name the mistake behind a trace: each finding says what happened, where, and what to change.

Findings are facts read from the trace (a thread created and never started, a join that timed out, a
``time.sleep`` inside a coroutine), not guesses about an exercise; checks choose which ones they mention.

Why a registry: ``diagnose`` is called once per check, each asking for a few kinds.  Every detector declares the
finding kinds it can produce (and the engine's problem kinds it reads), so a call runs only the detectors of
the kinds it asks for, and asking for a kind that no detector produces is an error, not a finding that silently
never comes (``wrong-delay`` and ``done-from-worker`` were asked for and never made, so their catalogue entries
failed with no advice).  Detectors run in the order they are defined here, which is the order in which a
message lists its findings.  ``tests/test_kinds.py`` holds the registry to the engine and to the checks.

Light on purpose: it imports no timeline code at run time (only ``coursekit._engine.events``), so the check
classes, which call it, can be loaded in the student's process with a grader.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coursekit._engine import events
from coursekit._engine.events import is_main
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS, TICK, seconds
from coursekit.models import MODELS, THREADS, ConcurrencyModel

if TYPE_CHECKING:
    from coursekit._judge.timeline import Line, Timeline


@dataclass(frozen=True)
class Evidence:
    """What a detector reads: the observed run, and what the calling check adds about the reference."""

    tl: Timeline
    """The run being judged."""
    problems: dict[str, list[dict[str, Any]]]
    """The engine's ``problem`` events of that run, by kind, each in trace order."""
    pairs: list[tuple[Line, Line]] | None
    """(observed, expected) lines the check found off: ``print-before-sleep`` and ``wrong-delay`` need them."""
    expected: Timeline | None
    """The reference run, for findings that compare with it (``wrong-delay``, ``done-from-worker``)."""


Detect = Callable[[Evidence], Iterator[Finding]]


@dataclass(frozen=True)
class Detector:
    """One reader of the trace: the finding kinds it may yield, and the engine problem kinds it reads."""

    kinds: tuple[str, ...]
    reads: tuple[str, ...]
    detect: Detect

    @property
    def name(self) -> str:
        return self.detect.__name__


DETECTORS: list[Detector] = []
"""Every detector, in definition order (the order of a message's findings)."""


def _detects(*kinds: str, reads: tuple[str, ...] = ()) -> Callable[[Detect], Detect]:
    """Register the decorated function as the detector of ``kinds`` (each kind has exactly one detector)."""

    def register(detect: Detect) -> Detect:
        taken = {k: d.name for d in DETECTORS for k in d.kinds}
        twice = [k for k in kinds if k in taken]
        if twice:
            raise ValueError(f"{detect.__name__}: finding kind(s) {twice} already detected by {taken[twice[0]]}")
        DETECTORS.append(Detector(kinds, reads, detect))
        return detect

    return register


def _at(where: str) -> str:
    return f" ({where})" if where else ""


def _waits_in(wait: dict[str, Any]) -> str:
    """What a blocked context waits in, as the student wrote it when the trace has the line (a queue's get()
    blocks in a lock, but the student wrote `tasks.get()`), else the primitive the scheduler saw."""
    return f"waits at `{wait['code']}`" if wait.get("code") else f"waits in {wait['on']}"


def _model(tl: Timeline) -> ConcurrencyModel:
    return MODELS.get(tl.model, THREADS)


# -- the program could not run -------------------------------------------------------------------------------
@_detects("syntax", "missing", "unreadable")
def _unreadable_file(ev: Evidence) -> Iterator[Finding]:
    for err in ev.tl.errors:
        if err["kind"] == "syntax":
            yield Finding("syntax", f"Python cannot read your file: {err['msg']} at line {err['line']}.",
                          f"Fix the line `{err.get('text', '').strip()}`." if err.get("text") else "")
        elif err["kind"] == "missing":
            yield Finding("missing", f"Your file does not define {err['msg'].split(' ')[0]}.",
                          "Keep the function names of the stub.")
        else:
            yield Finding("unreadable", f"Your file could not be read: {err['msg']}.")


@_detects("not-implemented", "import-exit", "import-crash", "crash")
def _crashes(ev: Evidence) -> Iterator[Finding]:
    tl = ev.tl
    for crash in tl.crashes:
        exc, where = crash["exc"], crash.get("where", "")
        if exc == "NotImplementedError":
            detail = crash["msg"].split(":", 1)[-1].strip()
            yield Finding("not-implemented",
                          f"Not written yet{_at(where)}" + (f": {detail}" if detail and detail != exc else "."),
                          "Replace the `raise NotImplementedError` under each # TODO with your code.")
        elif crash.get("phase") == "import":
            if exc == "SystemExit":
                yield Finding("import-exit", "Your module calls sys.exit() while it is being imported.",
                              "Remove it: a module should only define things when imported.")
            else:
                yield Finding("import-crash", f"Importing your module raised {crash['msg']}{_at(where)}.")
        elif exc == "SystemExit" and not is_main(crash["id"]):
            yield Finding("crash", f"{tl.ctx(crash['id']).label} called sys.exit() with an error code{_at(where)}.",
                          "Let the worker's function return normally (exit code 0).")
        elif exc == "SystemExit":
            yield Finding("crash", f"main() called sys.exit(){_at(where)}.", "Let main() return normally.")
        else:
            who = "main()" if is_main(crash["id"]) else tl.ctx(crash["id"]).label
            yield Finding("crash", f"{who} raised {crash['msg']}{_at(where)}.")


@_detects("tamper")
def _tamper(ev: Evidence) -> Iterator[Finding]:
    guard = ev.tl.status.get("guard")
    if guard is None:  # bulk grading only: what the audit guard of coursekit/_engine/guard.py recorded
        return
    acts = list({g["kind"]: g for g in reversed(guard) if g.get("kind")}.values())[::-1]  # first of each kind
    if acts:
        yield Finding("tamper", "Your program tried to get around the grader: "
                      + "; ".join(f"it {g['detail']}{_at(g.get('where', ''))}" for g in acts[:3]) + ".",
                      "Solve the exercise with ordinary code: a run that tampers with the grader scores 0.")
    elif ev.tl.completed and not any(g.get("final") for g in guard):
        yield Finding("tamper", "Your program ended the run by a way around the grader's own end-of-run check.",
                      "Solve the exercise with ordinary code: a run that tampers with the grader scores 0.")


@_detects("runs-on-import")
def _runs_on_import(ev: Evidence) -> Iterator[Finding]:
    if any(x.phase == "import" for x in ev.tl.lines):
        yield Finding("runs-on-import", "Your module prints or starts work when it is imported.",
                      "Put the call to main() under `if __name__ == \"__main__\":`.")


# -- what the engine saw go wrong (its problem events) ---------------------------------------------------------
@_detects("stuck", reads=(events.STUCK,))
def _stuck(ev: Evidence) -> Iterator[Finding]:
    for p in ev.problems.get(events.STUCK, []):
        yield Finding("stuck", f"Your program stopped making progress{_at(p['where'])}: a busy loop, or a call that "
                      "blocks without the grader being able to see it.",
                      "Wait with sleep(), join(), a lock or a queue instead of spinning.")


@_detects("deadlock", reads=(events.DEADLOCK,))
def _deadlock(ev: Evidence) -> Iterator[Finding]:
    tl = ev.tl
    for p in ev.problems.get(events.DEADLOCK, []):
        stuck = p.get("waits", [])
        waits = "; ".join(f"{tl.ctx(w['id']).label} {_waits_in(w)}{_at(w['where'])}" for w in stuck)
        # Only the contexts the engine lists as waiting are named: others may have ended long before.
        who, waits_for = ("it", "it waits") if len(stuck) == 1 else ("them", "they wait")
        yield Finding("deadlock", f"Deadlock at {p['t']:g} s: {waits}, and nothing left running can wake {who}.",
                      f"Make sure whatever {waits_for} for (a lock release, a thread ending, an event, a queue item) "
                      "can happen.")


@_detects("time-limit", reads=(events.TIME_LIMIT,))
def _time_limit(ev: Evidence) -> Iterator[Finding]:
    for p in ev.problems.get(events.TIME_LIMIT, []):
        yield Finding("time-limit", f"Your program was still running after {p['t']:g} s of (virtual) time, far "
                      "longer than the reference solution.", "Look for a loop that never ends.")


@_detects("flood", reads=(events.FLOOD,))
def _flood(ev: Evidence) -> Iterator[Finding]:
    for _ in ev.problems.get(events.FLOOD, []):
        yield Finding("flood", "Your program printed far more than expected and was stopped.",
                      "Look for a loop that never ends.")


@_detects("blocking-sleep", reads=(events.BLOCKING_SLEEP,))
def _blocking_sleep(ev: Evidence) -> Iterator[Finding]:
    for p in ev.problems.get(events.BLOCKING_SLEEP, [])[:1]:
        yield Finding("blocking-sleep", f"time.sleep() inside a coroutine blocks the whole event loop"
                      f"{_at(p['where'])}.", "Use `await asyncio.sleep(...)` so other tasks can run meanwhile (and "
                      "run a blocking function you cannot change in a thread: `await asyncio.to_thread(f, *args)`).")


@_detects("never-awaited", reads=(events.NEVER_AWAITED,))
def _never_awaited(ev: Evidence) -> Iterator[Finding]:
    for p in ev.problems.get(events.NEVER_AWAITED, [])[:1]:
        yield Finding("never-awaited", f"A coroutine was created but never awaited{_at(p['where'])}: {p['detail']}.",
                      "Put `await` in front of it; without it nothing waits.")


@_detects("sync-main", reads=(events.SYNC_MAIN,))
def _sync_main(ev: Evidence) -> Iterator[Finding]:
    for _ in ev.problems.get(events.SYNC_MAIN, [])[:1]:
        yield Finding("sync-main", "main() is a plain function.",
                      "Write `async def main():` and await your tasks inside it.")


@_detects(*events.PROCESS_IN.values(), reads=tuple(events.PROCESS_IN.values()))
def _process_in(ev: Evidence) -> Iterator[Finding]:
    for name, kind in events.PROCESS_IN.items():
        model = MODELS[name]
        for p in ev.problems.get(kind, [])[:1]:
            yield Finding(kind, f"Your program starts a process{_at(p['where'])}, but this exercise is about "
                          f"{model.workers_word}.", f"Use {model.start_with}.")


@_detects("run-not-start", reads=(events.RUN_NOT_START,))
def _run_not_start(ev: Evidence) -> Iterator[Finding]:
    for p in ev.problems.get(events.RUN_NOT_START, [])[:1]:
        yield Finding("run-not-start", f"You called run() on a thread{_at(p['where'])}: that runs its function "
                      "right there, in the caller.", "Call start() to run it in a new thread.")


# -- how the workers were started ---------------------------------------------------------------------------
@_detects("unstarted")
def _unstarted(ev: Evidence) -> Iterator[Finding]:
    for u in ev.tl.unstarted[:1]:
        yield Finding("unstarted", f"A {u['kind']} for {u['target'] or '?'}() was created{_at(u.get('where', ''))} "
                      "but never started.", "Call start() on it (run() would run it in the caller).")


@_detects("target-called")
def _target_called(ev: Evidence) -> Iterator[Finding]:
    for c in ev.tl.contexts.values():
        if c.kind in ("thread", "process") and not c.target and c.parent and is_main(c.parent):
            yield Finding("target-called", f"A {c.kind} was started with no function to run{_at(c.where)}: writing "
                          "`target=f()` calls f right away, in main, and passes its result (None).",
                          "Pass the function itself: `target=f`.")


@_detects("sequential")
def _sequential(ev: Evidence) -> Iterator[Finding]:
    tl = ev.tl
    if tl.lines and not any(not is_main(x.ctx) for x in tl.lines) and not tl.workers() and not tl.unstarted:
        yield Finding("sequential", "Everything was printed by main itself: the functions ran one after the other.",
                      "Run each function in its own worker, start them all, then wait for them.")


# -- when the lines came -------------------------------------------------------------------------------------
@_detects("print-before-sleep")
def _print_before_sleep(ev: Evidence) -> Iterator[Finding]:
    if ev.pairs is None:
        return
    for c in ev.tl.workers():
        first = next((x for x in ev.tl.lines if x.ctx == c.id), None)
        if ev.expected is not None and first is not None and _reference_prints_first(ev.expected, first.fn, c.target):
            continue  # the contract itself prints first: "sleep first" would be advice against it
        if _prints_at_start(ev.tl, c) and any(o.ctx == c.id and o.t < e.t for o, e in ev.pairs):
            yield Finding("print-before-sleep", f"{c.label} printed its first line the moment it started.",
                          "Sleep first, then print.")


def _prints_at_start(tl: Timeline, c: Any) -> bool:
    """Whether context ``c`` printed its first line the moment it started."""
    lines = [x for x in tl.lines if x.ctx == c.id]
    return bool(lines) and abs(lines[0].t - c.start) < TICK


def _reference_prints_first(expected: Timeline, fn: str, target: str) -> bool:
    """Whether the reference, too, prints a worker's first line the moment the worker starts: by the same
    function of the student's (``fn``, whatever context runs it), else by a worker of the same ``target``."""
    for e in expected.workers():
        first = next((x for x in expected.lines if x.ctx == e.id), None)
        if first is None or abs(first.t - e.start) >= TICK:
            continue
        if (first.fn == fn) if fn else (e.target == target):
            return True
    return False


@dataclass(frozen=True)
class _Wait:
    """What a context did between its previous line (or its start) and one of its lines."""

    sleeps: tuple[float, ...] | None
    """The student's own sleeps in between; ``None`` where the trace records no sleeps (asyncio's are timers)."""
    gap: float
    """The time in between."""


def _waits(tl: Timeline) -> dict[int, _Wait]:
    """For each printed line (by ``id``): what its context did since its own previous line."""
    sleepers = {e["id"] for e in tl.events if e["e"] == events.SLEEP}
    slept: dict[str, list[float]] = {}
    since: dict[str, float] = {}
    out: dict[int, _Wait] = {}
    lines = iter(tl.lines)  # the timeline keeps the out-lines of its events, in the same order
    for e in tl.events:
        kind, cid, t = e["e"], e.get("id", ""), float(e.get("t", 0.0))
        if kind == events.SPAWN:
            since[cid] = t
        elif kind == events.SLEEP and e.get("student"):
            slept.setdefault(cid, []).append(float(e.get("d", 0.0)))
        elif kind == events.LINE and e.get("stream") == "out":
            line = next(lines, None)
            if line is None:
                break
            sleeps = tuple(slept.pop(cid, ())) if cid in sleepers else None
            out[id(line)] = _Wait(sleeps, t - since.get(cid, t))
            since[cid] = t
    return out


@_detects("wrong-delay")
def _wrong_delay(ev: Evidence) -> Iterator[Finding]:
    """A line off time because the one sleep before it has another length than in the reference.

    Where the trace records sleeps (threads, processes): one sleep of the student's own code before the line, on
    both sides, of different lengths.  Where it does not (asyncio tasks): a worker that did wait, and whose every
    line comes after another wait than its twin's (a wait that differs only sometimes is a blocked loop or a
    limit, not a delay; no wait at all is a sleep never awaited or printed first).
    """
    if ev.pairs is None or ev.expected is None:
        return
    from coursekit._judge.pairing import match_lines

    got, want = _waits(ev.tl), _waits(ev.expected)
    twins = match_lines(ev.tl, ev.expected)
    for o, e in ev.pairs:
        g, w = got.get(id(o)), want.get(id(e))
        if g is None or w is None:
            continue
        if g.sleeps is not None and w.sleeps is not None:
            if len(g.sleeps) == len(w.sleeps) == 1 and abs(g.sleeps[0] - w.sleeps[0]) > EPS:
                delays = g.sleeps[0], w.sleeps[0]
            else:
                continue
        elif g.sleeps is None and w.sleeps is None and not is_main(o.ctx) and not is_main(e.ctx):
            mine = [(got[id(a)].gap, want[id(b)].gap) for a, b in twins if a.ctx == o.ctx and b.ctx == e.ctx]
            if g.gap <= EPS or len(mine) < 2 or any(abs(x - y) <= EPS for x, y in mine):
                continue
            delays = g.gap, w.gap
        else:
            continue
        yield Finding("wrong-delay", f"{ev.tl.ctx(o.ctx).label} waited {seconds(delays[0])} before printing "
                      f"{o.text!r}; it should wait {seconds(delays[1])}.", "Use the delays the exercise asks for.")
        return


# -- how the run ended ------------------------------------------------------------------------------------------
@_detects("join-timeout")
def _join_timeout(ev: Evidence) -> Iterator[Finding]:
    tl = ev.tl
    for j in tl.joins:
        if not j.get("done") and j.get("phase") == "main" and j.get("timeout") is not None:
            yield Finding("join-timeout", f"join(timeout={j['timeout']:g}) on {tl.ctx(j['target']).label} gave up at "
                          f"{j['t']:g} s, while it was still running{_at(j.get('where', ''))}.",
                          "Call join() without a timeout (or with one long enough) so main really waits.")


def _is_pool(target: str) -> bool:
    return target.startswith(("pool", "executor"))


@_detects("killed-worker")
def _killed_worker(ev: Evidence) -> Iterator[Finding]:
    tl = ev.tl
    for k in tl.kills:
        if _is_pool(k["target"]) and isinstance(k.get("cut"), list):
            if not k["cut"]:
                continue  # the engine found every call done (or its result received) before the kill
        elif _is_pool(k["target"]):
            calls = [c for c in tl.contexts.values()
                     if events.pool_call_of(c.id) is not None and f".{k['target']}." in c.id]
            if all(c.end is not None and c.end <= k["t"] + TICK for c in calls):
                continue  # every call had finished: terminating the idle pool loses nothing
        elif (end := tl.ctx(k["target"]).end) is not None and end <= k["t"] + TICK:
            continue
        target = "the pool" if _is_pool(k["target"]) else tl.ctx(k["target"]).label
        if k.get("by_with"):
            # The program never called terminate(): leaving its `with` block did.
            yield Finding("killed-worker", f"The pool was stopped at {k['t']:g} s when its `with` block ended"
                          f"{_at(k.get('where', ''))}, before its work was done: leaving the block calls "
                          "terminate().",
                          "Get every result inside the `with` block, before it ends.")
            continue
        yield Finding("killed-worker", f"{k['how']}() stopped {target} at {k['t']:g} s{_at(k.get('where', ''))}, "
                      "before its work was done.", "Use join() (or get the results) to wait for the work to finish "
                      "instead.")


@_detects("pending-task", "daemon-dropped", "not-joined")
def _left_running(ev: Evidence) -> Iterator[Finding]:
    tl = ev.tl
    joined_done = {j["target"] for j in tl.joins if j.get("done") and j.get("phase") == "main"}
    for cid in tl.alive_at_return:
        c = tl.ctx(cid)
        if c.kind == "task":
            parked = _parked_at(tl, cid)
            if parked:
                # It was waiting for something when main returned: "await it" alone would wait forever.
                yield Finding("pending-task", f"{c.label} was still pending when main() returned, waiting at "
                              f"{parked}, so asyncio.run() cancelled it.", "Stop it first (cancel() it, or send "
                              "it a sentinel that ends its loop), then await it: awaiting a task that is still "
                              "waiting for more work would never return.")
            else:
                yield Finding("pending-task", f"{c.label} was still pending when main() returned, so asyncio.run() "
                              "cancelled it.", "Await every task you create (await task, gather, or a TaskGroup).")
        elif c.daemon and cid not in joined_done:
            yield Finding("daemon-dropped", f"{c.label} is a daemon and was never joined: it is killed when the "
                          "program exits.", "join() it before main() returns.")
        elif cid not in joined_done:
            yield Finding("not-joined", f"{c.label} was never waited for: it was still running when main() "
                          "returned.", "join() it (or await it) before going on.")


def _parked_at(tl: Timeline, cid: str) -> str:
    """Where a task left pending was suspended when asyncio.run() cancelled it after main returned, if known."""
    for k in tl.cancels:
        if k.get("target") == cid and k.get("phase") == "after" and k.get("at"):
            return str(k["at"])
    return ""


@_detects("done-from-worker")
def _done_from_worker(ev: Evidence) -> Iterator[Finding]:
    """A line the reference prints from main once every worker has ended (``Done!``) came from a worker."""
    ref = ev.expected
    if ref is None or not ref.workers():
        return
    ends = [c.end for c in ref.workers()]
    if any(end is None for end in ends):
        return  # the reference leaves a worker running: no line of it comes after all of them
    last = max(end for end in ends if end is not None)
    finals = {x.text for x in ref.lines if is_main(x.ctx) and x.t >= last - EPS}
    for x in ev.tl.lines:
        if x.text in finals and not is_main(x.ctx):
            model = _model(ev.tl)
            yield Finding("done-from-worker", f"{x.text!r} was printed by {ev.tl.ctx(x.ctx).label}, not by main.",
                          f"Print it in main(), after main has {model.waited_for} every {model.worker_word}: only "
                          "then is all the work done.")
            return


@_detects("loop-error", reads=(events.LOOP_ERROR,))
def _loop_error(ev: Evidence) -> Iterator[Finding]:
    for p in ev.problems.get(events.LOOP_ERROR, [])[:1]:
        detail = str(p.get("detail", "")).strip().rstrip(".!")
        yield Finding("loop-error", "asyncio's event loop reported an error" + (f": {detail}" if detail else "")
                      + f"{_at(p.get('where', ''))}.", "Await every task you create before main() returns, and "
                      "keep a reference to it until then.")


_STOPPERS = (events.STUCK, events.DEADLOCK, events.TIME_LIMIT)


@_detects("cut-short")
def _cut_short(ev: Evidence) -> Iterator[Finding]:
    """The run ended without the harness ending it, and not because the engine stopped it (those say why)."""
    if not ev.tl.completed and not any(kind in ev.problems for kind in _STOPPERS):
        yield Finding("cut-short", "Your program ended abruptly (os._exit, a signal, or a hang past the wall-clock "
                      "limit) before main() could finish.", "Let main() return normally.")


FINDING_KINDS: tuple[str, ...] = tuple(k for d in DETECTORS for k in d.kinds)
"""Every kind ``diagnose`` can produce, in the order a message lists them."""

READ_PROBLEMS: frozenset[str] = frozenset(k for d in DETECTORS for k in d.reads)
"""Every problem kind of the engine (``coursekit._engine.events.PROBLEM_KINDS``) some detector reads."""


def check_kinds(kinds: Iterable[str], where: str = "") -> frozenset[str]:
    """``kinds`` as a set, if every one is a finding kind; a ``ValueError`` naming the unknown ones otherwise."""
    if isinstance(kinds, str):
        raise TypeError(f"{where or 'diagnose'}: only= takes a set of finding kinds, not the string {kinds!r}")
    wanted = frozenset(kinds)
    unknown = sorted(wanted - set(FINDING_KINDS))
    if unknown:
        near = {k: difflib.get_close_matches(k, FINDING_KINDS, n=1) for k in unknown}
        hints = "; ".join(f"{k!r}" + (f" (did you mean {near[k][0]!r}?)" if near[k] else "") for k in unknown)
        raise ValueError(f"{where or 'diagnose'}: no detector produces the finding kind(s) {hints}; the kinds are "
                         f"{', '.join(FINDING_KINDS)} (coursekit/_judge/diagnose.py)")
    return wanted


def diagnose(tl: Timeline, *, only: Iterable[str] | None = None, pairs: list[tuple[Line, Line]] | None = None,
             expected: Timeline | None = None) -> list[Finding]:
    """The findings of ``tl``, in ``FINDING_KINDS`` order, one of each (kind, text).

    ``only``: the kinds to look for (all when ``None``); a kind no detector produces raises ``ValueError``.
    ``pairs``: (observed, expected) lines that a timing check found off time; ``expected``: the reference run.
    Findings that compare with the reference are made only when the check passes what they need.
    """
    wanted = check_kinds(only) if only is not None else None
    problems: dict[str, list[dict[str, Any]]] = {}
    for p in tl.problems:
        problems.setdefault(p["kind"], []).append(p)
    evidence = Evidence(tl, problems, pairs, expected)
    out: list[Finding] = []
    for detector in DETECTORS:
        if wanted is not None and wanted.isdisjoint(detector.kinds):
            continue
        for finding in detector.detect(evidence):
            if finding.kind not in detector.kinds:
                raise RuntimeError(f"detector {detector.name} made a finding of kind {finding.kind!r}, which it "
                                   f"does not declare ({detector.kinds})")
            if (wanted is None or finding.kind in wanted) and all(
                    f.kind != finding.kind or f.what != finding.what for f in out):
                out.append(finding)
    return out


__all__ = ["DETECTORS", "FINDING_KINDS", "READ_PROBLEMS", "Detector", "Evidence", "Finding", "check_kinds",
           "diagnose"]
