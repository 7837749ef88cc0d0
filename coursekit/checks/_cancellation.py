"""Cancellation, against the reference: the right work is cancelled at the right moment, its clean-up runs,
the cancellation is not swallowed, and nothing is left pending.

The harness records every ``task.cancel()`` with the student coroutine it interrupts (``work``), so
``asyncio.timeout`` (which cancels the task running the ``async with``) and ``wait_for`` (which cancels an
inner task) compare equal when they interrupt the same coroutine at the same moment.  What the cancellation
*causes* (clean-up lines from ``finally:`` blocks, a "timed out" message) is what the reference printed at that
instant after the cancel; it must come at the same moment in the observed run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coursekit._engine.events import is_main
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._unfinished import unfinished

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


def _cancels(tl: Timeline) -> list[dict[str, Any]]:
    """Cancellations the program asked for while main() ran (not asyncio.run's own clean-up afterwards), each
    counted once: a task cancelled while it awaits other tasks hands the cancellation on to them (``via``), and
    those stand for it (``wait_for(task)`` cancels the caller from 3.12, the task itself before)."""
    asked = [c for c in tl.cancels if c.get("phase") == "main"]
    handed_on = {(c["via"], round(float(c["t"]), 6)) for c in asked if c.get("via")}
    return [c for c in asked if (c.get("target"), round(float(c["t"]), 6)) not in handed_on]


def _key(c: dict[str, Any]) -> tuple[float, str]:
    return (round(float(c["t"]), 6), c.get("work") or "?")


def _match(observed: list[dict[str, Any]],
           expected: list[dict[str, Any]]) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    """Pair observed cancellations with expected ones: same moment, and the expected work is on the observed
    task's await chain (a student may wrap the work in a coroutine of their own).  Returns (missing, extra)."""
    left = list(observed)
    missing = []
    for e in sorted(expected, key=_key):
        t, work = _key(e)
        hit = next((o for o in left if abs(float(o["t"]) - t) <= EPS and work in (o.get("works") or [o.get("work")])),
                   None)
        if hit is None:
            missing.append((t, work))
        else:
            left.remove(hit)
    return missing, sorted(_key(o) for o in left)


def _work(c: dict[str, Any] | tuple[float, str]) -> str:
    name = c[1] if isinstance(c, tuple) else (c.get("work") or "?")
    return f"{name}()" if name != "?" else "a task"


class Cancellation(Check):
    """The same work is cancelled at the same moment as in the reference, its clean-up runs then, the
    ``CancelledError`` is not swallowed, and no task is left pending."""

    name = "cancellation"
    title = "timed-out work is cancelled at the right moment, cleans up, and nothing is left pending"
    needs = frozenset({Needs.WORKER})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        if observed.returned_at is None:
            return unfinished(observed, "main() never returned, so its cancellations could not be checked.")
        missing, extra = _match(_cancels(observed), _cancels(expected))
        # A cancelled task that runs none of the program's own code (a timer: create_task(asyncio.sleep(t)))
        # interrupts no work: cancelling it is how a program stops its own timer, not a wrong cancellation.
        extra = [k for k in extra if k[1] != "?"]
        if missing:
            t, _ = missing[0]
            late = [k for k in extra if k[1] == missing[0][1]]
            msg = f"{_work(missing[0])} should be cancelled at {t:g} s, when its time runs out"
            if late:
                msg += f"; it was cancelled at {late[0][0]:g} s instead."
                # A cancellation came, so a timeout is there already: what is off is the time given to it.
                fix = ("Give the timeout the time limit itself, not another number (the work's own duration, "
                       "or the limit plus a margin).")
            else:
                msg += ", but it never was: it ran on (or was awaited to the end)."
                fix = ("Wrap the await in `async with asyncio.timeout(limit):` or use `await asyncio.wait_for(coro, "
                       "limit)`, where limit is the time limit: both cancel the work when the time is up "
                       "(asyncio.wait(..., timeout=...) does not).")
            return Verdict(False, msg, [Finding("not-cancelled", "", fix)])
        if extra:
            t, _ = extra[0]
            return Verdict(False, f"{_work(extra[0])} was cancelled at {t:g} s, but it should not be: it finishes "
                           "within its time limit.", [Finding("cancelled-early", "", "Cancel only work that is "
                           "still running when its time is up; check the timeout you pass.")])
        # Swallowed: a task cancelled (when the reference cancels that work) that went on and ended normally.
        for c in _cancels(observed):
            if is_main(c["target"]) and not c.get("swallowed"):
                continue  # asyncio.timeout cancels the task running it, which then goes on by design
            how = observed.ended_how.get(c["target"])
            if how in ("done", "error") or c.get("swallowed"):
                return Verdict(False, f"{_work(c)} was cancelled at {c['t']:g} s but did not stop: it caught the "
                               "CancelledError and carried on.", [Finding("swallowed-cancel", "", "Do not catch "
                               "asyncio.CancelledError (or a bare `except:`) without re-raising it; clean up in a "
                               "`finally:` block instead.")])
        # What the cancellation caused in the reference (clean-up, a timeout message) must happen then too.
        for c in _cancels(expected):
            t = float(c["t"])
            after = [x for x in expected.lines[c["line_index"]:] if abs(x.t - t) <= EPS]
            for line in after:
                if not any(o.text == line.text and abs(o.t - t) <= EPS for o in observed.lines):
                    when = [o.t for o in observed.lines if o.text == line.text]
                    said = f"it came at {when[0]:g} s" if when else "it never came"
                    return Verdict(False, f"When {_work(c)} is cancelled at {t:g} s, {line.text!r} is due at that "
                                   f"moment; {said}.", [Finding("no-cleanup", "", "Put clean-up code in a `finally:` "
                                   "block (it runs when the task is cancelled too), let CancelledError propagate "
                                   "(do not swallow it), and handle TimeoutError where the timeout raises it.")])
        pending = [cid for cid in observed.alive_at_return if observed.ctx(cid).kind == "task"]
        if pending and not expected.alive_at_return:
            task = observed.ctx(pending[0])
            cancelled = any(x.get("target") == pending[0] for x in observed.cancels)
            what = ("was cancelled but never awaited, so it had not finished cleaning up" if cancelled else
                    "was still pending (nobody cancelled it or waited for it)")
            return Verdict(False, f"{task.label} {what} when main() returned.",
                           [Finding("pending-task", "", "After cancelling a task, await it (catching "
                                    "CancelledError), so that its clean-up has run before you go on.")])
        return OK


__all__ = ["Cancellation"]
