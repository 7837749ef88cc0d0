"""Cancellation, against the reference: the right work is cancelled at the right moment, its clean-up runs,
the cancellation is not swallowed, and nothing is left pending.

The harness records every ``task.cancel()`` with the student coroutine it interrupts (``work``, and the chain
``works`` of student coroutines the task was awaiting), so ``asyncio.timeout`` (which cancels the task running
the ``async with``) and ``wait_for`` (which cancels an inner task) compare equal when they interrupt the same
coroutine at the same moment: at each moment, every coroutine the reference interrupted must be on the chain of
one of the observed cancellations, however many tasks the program spread them over.  What the cancellation
*causes* (clean-up lines from ``finally:`` blocks, a "timed out" message) is what the reference printed at that
instant after the cancel; it must come at the same moment in the observed run.

Two kinds of cancellation, told apart by who asked (``from_task`` and ``where`` of the trace's event):

- **the caller's**: asked by a running task with none of the student's code on its stack (a grader's driver
  cancelling the task that awaits the student's coroutine).  The task the caller cancelled must end cancelled:
  catching that ``CancelledError`` and returning (``except BaseException``, ``except (CancelledError,
  TimeoutError)``) swallows it, and a shield that keeps it from the work leaves the work running;
- **the program's own**: a timeout (``asyncio.timeout``'s loop callback, a ``call_later`` timer) or the student's
  own ``task.cancel()``.  The interrupted work must stop (not catch the error and return); the task running an
  ``asyncio.timeout`` goes on by design.

With a driver that runs scenarios (``coursekit.scenarios``), moments are counted from the start of the scenario
each cancellation falls in, and a failure names the scenario: a run that is late in one scenario is judged on
the next one by its own moments, not by the shifted clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coursekit._engine.events import is_main
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._unfinished import unfinished
from coursekit.scenarios import MARK

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


@dataclass(frozen=True)
class _Cancel:
    """One cancellation the program (or its caller) asked for, placed in its scenario."""

    raw: dict[str, Any]
    scenario: str  # the label of the scenario it falls in ("" without scenarios)
    at: float  # seconds from the start of that scenario (from the start of the run without scenarios)
    root: str  # the task that was asked to cancel (before it handed the cancellation on to a task it awaited)
    root_works: tuple[str, ...]  # the student coroutines that task was awaiting

    @property
    def work(self) -> str:
        return str(self.raw.get("work") or "?")

    @property
    def works(self) -> set[str]:
        return {str(w) for w in (self.raw.get("works") or [self.raw.get("work")]) if w}

    @property
    def caller(self) -> bool:
        """Asked from outside the student's code by a running task: the caller cancelled (not a timer, not the
        program itself)."""
        return bool(self.raw.get("from_task")) and not self.raw.get("where")


def _scenes(tl: Timeline) -> list[tuple[str, float]]:
    """For each line index (and one past the last): the scenario it falls in and when that scenario began."""
    out: list[tuple[str, float]] = []
    scene = ("", 0.0)
    for line in tl.lines:
        out.append(scene)
        m = MARK.match(line.text)
        if m:
            scene = (m.group(2), line.t)
    out.append(scene)
    return out


def _scene_after(scenes: list[tuple[str, float]], index: int) -> tuple[str, float]:
    return scenes[min(max(index, 0), len(scenes) - 1)]


def _cancels(tl: Timeline) -> list[_Cancel]:
    """Cancellations the program asked for while main() ran (not asyncio.run's own clean-up afterwards), each
    counted once: a task cancelled while it awaits other tasks hands the cancellation on to them (``via``), and
    those stand for it (``wait_for(task)`` cancels the caller from 3.12, the task itself before)."""
    asked = [c for c in tl.cancels if c.get("phase") == "main"]
    moment = {(c.get("target"), round(float(c["t"]), 6)): c for c in asked}
    handed_on = {(c["via"], round(float(c["t"]), 6)) for c in asked if c.get("via")}
    scenes = _scenes(tl)
    out = []
    for c in asked:
        t = round(float(c["t"]), 6)
        if (c.get("target"), t) in handed_on:
            continue
        root, seen = c, set()
        while root.get("via") and (root["via"], t) in moment and root["via"] not in seen:
            seen.add(root["via"])
            root = moment[(root["via"], t)]
        label, start = _scene_after(scenes, int(c.get("line_index", 0)))
        out.append(_Cancel(c, label, float(c["t"]) - start, str(root.get("target") or ""),
                           tuple(str(w) for w in (root.get("works") or []))))
    return out


def _same_moment(a: _Cancel, b: _Cancel) -> bool:
    return a.scenario == b.scenario and abs(a.at - b.at) <= EPS


def _match(observed: list[_Cancel], expected: list[_Cancel]) -> tuple[list[_Cancel], list[_Cancel]]:
    """(missing, extra): every coroutine the reference interrupted at a moment must be on the chain of a
    cancellation observed at that moment (a student may wrap the work in a coroutine of their own, or reach it
    through another task), and every observed cancellation must interrupt some of what the reference interrupted
    then (the innermost coroutine may be a helper of the student's own, inside the work).
    A cancellation that interrupts none of the program's own code (a timer: ``create_task(asyncio.sleep(t))``) is
    no mistake either way: cancelling it is how a program stops its own timer."""
    missing = [e for e in expected if e.work != "?" and e.work not in
               set().union(*(o.works for o in observed if _same_moment(o, e)))]
    extra = [o for o in observed if o.work != "?" and not
             o.works & set().union(*(e.works for e in expected if _same_moment(o, e)))]
    return sorted(missing, key=lambda c: float(c.raw["t"])), sorted(extra, key=lambda c: float(c.raw["t"]))


def _work(name: str) -> str:
    return f"{name}()" if name and name != "?" else "a task"


def _with(c: _Cancel) -> str:
    return f"With {c.scenario}: " if c.scenario else ""


def _called(c: _Cancel) -> str:
    """What the caller cancelled: the outermost student coroutine the cancelled task was running."""
    return _work(c.root_works[0] if c.root_works else c.work)


class Cancellation(Check):
    """The same work is cancelled at the same moment as in the reference, its clean-up runs then, the
    ``CancelledError`` is not swallowed (one from the caller goes on to the caller), and no task is left
    pending."""

    name = "cancellation"
    title = "timed-out work is cancelled at the right moment, cleans up, and nothing is left pending"
    needs = frozenset({Needs.WORKER})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        if observed.returned_at is None:
            return unfinished(observed, "main() never returned, so its cancellations could not be checked.")
        seen, due = _cancels(observed), _cancels(expected)
        missing, extra = _match(seen, due)
        if missing:
            return _missing(missing[0], [o for o in extra if o.scenario == missing[0].scenario
                                         and o.work == missing[0].work])
        if extra:
            c = extra[0]
            return Verdict(False, f"{_with(c)}{_work(c.work)} was cancelled at {c.at:g} s, but it should not be: "
                           "it finishes within its time limit.", [Finding("cancelled-early", "", "Cancel only work "
                           "that is still running when its time is up; check the timeout you pass.")])
        swallowed = _swallowed(observed, seen)
        if swallowed is not None:
            return swallowed
        caused = _effects(observed, expected, due)
        if caused is not None:
            return caused
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


def _missing(c: _Cancel, late: list[_Cancel]) -> Verdict:
    if c.caller:
        return Verdict(False, f"{_with(c)}the caller cancels {_called(c)} at {c.at:g} s, and {_work(c.work)} should "
                       "be cancelled with it then (so that it cleans up at once), but it was not.",
                       [Finding("not-cancelled", "", "Let the caller's cancellation reach the job: await the job "
                                "itself (under asyncio.timeout or wait_for), not through asyncio.shield or a task "
                                "that nobody cancels; if you catch CancelledError to tidy up, cancel the job, await "
                                "it, and re-raise.")])
    msg = f"{_with(c)}{_work(c.work)} should be cancelled at {c.at:g} s, when its time runs out"
    if late:
        msg += f"; it was cancelled at {late[0].at:g} s instead."
        # A cancellation came, so a timeout is there already: what is off is the time given to it.
        fix = ("Give the timeout the time limit itself, not another number (the work's own duration, "
               "or the limit plus a margin).")
    else:
        msg += ", but it never was: it ran on (or was awaited to the end)."
        fix = ("Wrap the await in `async with asyncio.timeout(limit):` or use `await asyncio.wait_for(coro, "
               "limit)`, where limit is the time limit: both cancel the work when the time is up "
               "(asyncio.wait(..., timeout=...) does not).")
    return Verdict(False, msg, [Finding("not-cancelled", "", fix)])


def _swallowed(observed: Timeline, seen: list[_Cancel]) -> Verdict | None:
    """A cancellation caught and turned into an ordinary return: the caller's, by any task it reached; the
    program's own, by the work it interrupted (the task running an ``asyncio.timeout`` goes on by design)."""
    for c in seen:
        if c.caller and not is_main(c.root):
            how = observed.ended_how.get(c.root)
            if how is not None and how != "cancelled":
                did = "raised another error instead" if how == "error" else "returned as if nothing had happened"
                return Verdict(False, f"{_with(c)}the caller cancelled {_called(c)} at {c.at:g} s, but it caught "
                               f"the CancelledError and {did}: a cancellation from the caller must go on to the "
                               "caller.", [Finding("swallowed-cancel", "", "Catch only what you handle: "
                               "`except TimeoutError:` for the limit, `except Exception:` for a failed job; "
                               "CancelledError is neither, so do not catch it (not with `except BaseException`, a "
                               "bare `except:` or `except (asyncio.CancelledError, ...)`), or re-raise it.")])
            continue
        target = str(c.raw.get("target") or "")
        if is_main(target) and not c.raw.get("swallowed"):
            continue  # asyncio.timeout cancels the task running it, which then goes on by design
        how = observed.ended_how.get(target)
        if how in ("done", "error") or c.raw.get("swallowed"):
            return Verdict(False, f"{_with(c)}{_work(c.work)} was cancelled at {c.at:g} s but did not stop: it "
                           "caught the CancelledError and carried on.", [Finding("swallowed-cancel", "", "Do not "
                           "catch asyncio.CancelledError (or a bare `except:`) without re-raising it; clean up in a "
                           "`finally:` block instead.")])
    return None


def _effects(observed: Timeline, expected: Timeline, due: list[_Cancel]) -> Verdict | None:
    """What each of the reference's cancellations caused at its moment, in its scenario (clean-up, a timed-out
    line), comes at that moment of that scenario in the observed run too."""
    scenes = _scenes(observed)
    here = [(line.text, scenes[k][0], line.t - scenes[k][1]) for k, line in enumerate(observed.lines)]
    exp_scenes = _scenes(expected)
    for c in due:
        t = float(c.raw["t"])
        for index in range(int(c.raw.get("line_index", 0)), len(expected.lines)):
            line = expected.lines[index]
            if line.t > t + EPS:
                break
            if line.t < t - EPS:
                continue
            label = _scene_after(exp_scenes, index)[0]
            if label != c.scenario or MARK.match(line.text):
                break  # the next scenario begins: what follows is not caused by this cancellation
            if any(text == line.text and scene == label and abs(at - c.at) <= EPS for text, scene, at in here):
                continue
            when = [at for text, scene, at in here if text == line.text and scene == label]
            said = f"it came at {when[0]:g} s" if when else "it never came"
            who = f"the caller cancels {_called(c)}" if c.caller else f"{_work(c.work)} is cancelled"
            return Verdict(False, f"{_with(c)}when {who} at {c.at:g} s, {line.text!r} is due at that moment; "
                           f"{said}.", [Finding("no-cleanup", "", "Put clean-up code in a `finally:` block (it runs "
                                                "when the task is cancelled too), let CancelledError propagate (do "
                                                "not swallow it), and handle TimeoutError where the timeout raises "
                                                "it.")])
    return None


__all__ = ["Cancellation"]
