"""How long the entry point took, against the reference: concurrent waits overlap, sequential ones add up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS
from coursekit.checks._busy import busy_peak
from coursekit.checks._calls import Scenario, driven, scenarios_of, work_calls
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._peak import peak_overlap
from coursekit.checks._unfinished import unfinished

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


class Elapsed(Check):
    """``main()`` (or the grader's driver) returns at the reference's virtual time.

    Why a check of its own: the lines can all be right and still come late only at the end, and "the total
    is the longest wait, not the sum" is the whole point of running waits concurrently.  Virtual time makes
    the comparison exact.
    """

    shape = True  # judged under the tie schedules only (Check.shape)

    name = "elapsed"
    title = "takes as long as the longest wait, not the sum of the waits"
    needs = frozenset({Needs.WORKER})

    def __init__(self, what: str = "main()") -> None:
        self.what = what

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        want = expected.returned_at
        got = observed.returned_at
        if want is None:
            return OK  # the reference never returns: nothing to compare (ReferenceCache rejects that anyway)
        if got is None:
            return unfinished(observed, f"{self.what} never returned, so its duration could not be measured.")
        if abs(got - want) <= EPS:
            return OK
        whole = "The grader's whole run, which calls " + self.what if _driven(observed) else self.what
        if got > want:
            # "The waits added up" only when the trace shows fewer of them at once than the reference.
            overlap = _overlap(observed), _overlap(expected)
            added_up = 0 < overlap[0] < overlap[1]
            msg = (f"{whole}, took {got:g} s of (virtual) time; with the reference it takes {want:g} s."
                   if _driven(observed) else
                   f"{self.what} took {got:g} s of (virtual) time; the reference takes {want:g} s.")
            if added_up:
                msg += (f" At most {overlap[0]} of its waits ran at once (the reference overlaps {overlap[1]}): "
                        "they added up instead of overlapping.")
                advice = [Finding("sequential", "", "Start all the work first (asyncio.gather, or create_task for "
                                  "each), and only then await it: awaiting each coroutine in turn runs them one "
                                  "after the other.")]
            else:
                advice = [Finding("slow", "", "Look for a wait the reference does not have: the work itself "
                                  "overlapped as much as in the reference.")] if overlap[1] else []
        else:
            msg = (f"{whole}, returned after {got:g} s of (virtual) time; with the reference it takes {want:g} s."
                   if _driven(observed) else
                   f"{self.what} returned after {got:g} s of (virtual) time; the reference takes {want:g} s.")
            msg += " It returned before all the work was done."
            advice = [Finding("not-awaited", "", "Await every piece of work before returning.")]
        findings = diagnose(observed, only={"blocking-sleep", "never-awaited", "pending-task"}) or advice
        return Verdict(False, msg + _first_off(observed, expected), findings)

    def __repr__(self) -> str:
        return f"Elapsed({self.what!r})"


def _driven(tl: Timeline) -> bool:
    """Whether the grader's driver ran the program: then the time is its whole run, not one call's."""
    return driven(tl)


def _durations(tl: Timeline) -> dict[int, tuple[Scenario, float | None]]:
    """Each announced scenario and how long its call took: until the next marker line, or the driver's return
    for the last one (``None``: the run never got there)."""
    marks = scenarios_of(tl)
    out: dict[int, tuple[Scenario, float | None]] = {}
    for k, s in enumerate(marks):
        end = marks[k + 1].t if k + 1 < len(marks) else tl.returned_at
        out[s.number] = (s, None if end is None else end - s.t)
    return out


def _first_off(observed: Timeline, expected: Timeline) -> str:
    """`` Scenario 3 (...) alone took 4 s; with the reference it takes 1 s.``: the first scenario of a driver's
    run whose own duration differs from the reference's (where the time was lost or skipped); ``""`` else."""
    got, want = _durations(observed), _durations(expected)
    for number, (scenario, d_want) in sorted(want.items()):
        if number not in got or d_want is None:
            return ""
        d_got = got[number][1]
        if d_got is not None and abs(d_got - d_want) > EPS:
            return (f" The first scenario that took a different time is {scenario.named}: it took {d_got:g} s; "
                    f"with the reference it takes {d_want:g} s.")
    return ""


def _overlap(tl: Timeline) -> int:
    """The most pieces of work at once: calls of the grader's named work if recorded, else the timed sleeps."""
    spans = [(f"{c.ctx}#{k}", c.t, c.t + c.d) for k, c in enumerate(work_calls(tl)) if c.d > 0]
    if spans:
        return peak_overlap(spans).most
    return busy_peak(tl).most


__all__ = ["Elapsed"]
