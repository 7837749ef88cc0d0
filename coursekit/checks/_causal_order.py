"""Order by cause: every pair of lines the reference orders by a synchronization chain is so ordered here too.

Why: a line that comes at the right time only because of a sleep (main sleeping as long as the work takes
instead of joining; ``task.cancel()`` without awaiting the task) prints the reference's timeline exactly, and
is wrong all the same: with work a little slower, or another tie, the order breaks.  The judge's
happens-before (``coursekit._judge.causality``) tells the two apart; this module compares the two runs' and
says which wait is missing, from what the run did (a sleep, a cancel), never from the check that failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coursekit._engine.events import is_main
from coursekit._judge.findings import Finding
from coursekit._judge.moments import seconds
from coursekit._judge.pairing import match_lines

if TYPE_CHECKING:
    from coursekit._judge.timeline import Line, Timeline


@dataclass(frozen=True)
class Luck:
    """``later`` comes after ``earlier`` in the run, but only by time: nothing makes its context wait."""

    earlier: Line
    later: Line

    def message(self, observed: Timeline) -> str:
        return (f"{self.later.text!r} is not guaranteed to come after {self.earlier.text!r}: "
                f"{_why(observed, self.earlier, self.later)}.")

    def finding(self, observed: Timeline) -> Finding:
        waiter, worker = _who(observed, self.later.ctx), _who(observed, self.earlier.ctx)
        if _cancel_of(observed, self.later, self.earlier) is not None:
            return Finding("cancel-not-awaited", "", f"After cancel(), await the task ({worker}) so that its "
                           "clean-up is over before you go on.")
        instead = " instead of waiting a fixed time" if _slept(observed, self.later) > 0 else ""
        if _still_running(observed, self.earlier.ctx, self.later.t):
            # Waiting for a worker that never ends would hang: say so, rather than "await it".
            return Finding("order-by-luck", "", f"{worker} was still running when {waiter} printed it, so waiting "
                           f"for it to end would wait forever: stop it first (a sentinel, or cancel()), then make "
                           f"{waiter} wait for it (join() it or await it){instead}.")
        return Finding("order-by-luck", "", f"Make {waiter} wait for {worker} itself (join() it, await it, or "
                       f"get its result){instead}.")


def luck(observed: Timeline, expected: Timeline) -> Luck | None:
    """The first line (in the run's order) that the reference orders after another by cause and this run only
    by time; ``None`` when every causal order of the reference holds here (or either run's order is unknown)."""
    from coursekit._judge.causality import of  # here: the judge is not loaded in the student's process

    ref, got = of(expected), of(observed)
    if not ref.complete or not got.complete:
        return None
    pairs = match_lines(observed, expected)
    twin = {e.seq: o for o, e in pairs}
    by_step: dict[tuple[str, int], Line] = {}
    for e in expected.lines:
        step = ref.own_step(e)
        if step is not None:
            by_step[step] = e
    last_of: dict[str, list[tuple[int, Line]]] = {}
    for (ctx, k), e in sorted(by_step.items()):
        last_of.setdefault(ctx, []).append((k, e))
    for o2, e2 in pairs:
        if not is_main(e2.ctx):
            # Only what main prints is judged: workers may hand work over through plain shared data (a list, a
            # counter in one event loop), which no trace shows, so an order between two workers is not evidence.
            continue
        clock = ref.clock(e2)
        for ctx, k_max in clock.items():
            # the latest line of ``ctx`` the reference orders before e2 (earlier ones follow by program order)
            e1 = None
            for k, line in reversed(last_of.get(ctx, [])):
                if k <= k_max and line.seq != e2.seq:
                    e1 = line
                    break
            if e1 is None or not ref.happens_before(e1, e2):
                continue
            o1 = twin.get(e1.seq)
            if o1 is None:
                continue  # not printed: the output check reports it
            if not got.happens_before(o1, o2):
                return Luck(o1, o2)
    return None


def _who(tl: Timeline, cid: str) -> str:
    return "main" if is_main(cid) else tl.ctx(cid).label


def _cancel_of(tl: Timeline, later: Line, earlier: Line) -> dict[str, object] | None:
    """A ``cancel()`` of ``earlier``'s context asked before ``later`` was printed, if any."""
    for cancel in tl.cancels:
        if cancel.get("target") == earlier.ctx and float(str(cancel.get("t", 0.0))) <= later.t:
            return cancel
    return None


def _slept(tl: Timeline, later: Line) -> float:
    """How long ``later``'s context slept before printing it (main's asyncio task counts as main)."""
    raw = {later.ctx} | ({ev.get("id", "") for ev in tl.events if ev.get("e") == "spawn" and ev.get("main")}
                         if is_main(later.ctx) else set())
    return sum(float(s.get("d", 0.0)) for s in tl.sleeps if s.get("id") in raw and float(s.get("t", 0.0)) < later.t)


def _still_running(tl: Timeline, cid: str, t: float) -> bool:
    """Whether worker ``cid`` was still running after ``t`` and when the entry point returned."""
    if is_main(cid):
        return False
    end = tl.ctx(cid).end
    return cid in tl.alive_at_return and (end is None or end > t)


def _why(tl: Timeline, earlier: Line, later: Line) -> str:
    waiter, worker = _who(tl, later.ctx), _who(tl, earlier.ctx)
    cancel = _cancel_of(tl, later, earlier)
    if cancel is not None:
        return f"{waiter} cancelled {worker} at {seconds(float(str(cancel.get('t', 0.0))))} and went on without " \
               "waiting for it to finish"
    slept = _slept(tl, later)
    if slept > 0:
        return f"{waiter} slept {seconds(slept)} instead of waiting for {worker}"
    return f"{waiter} never waits for {worker} before printing it"
