"""How long the entry point took, against the reference: concurrent waits overlap, sequential ones add up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._unfinished import unfinished

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


class Elapsed(Check):
    """``main()`` (or the grader's driver) returns at the reference's virtual time.

    Why a check of its own: the lines can all be right and still come late only at the end, and "the total
    is the longest wait, not the sum" is the whole point of running waits concurrently.  Virtual time makes
    the comparison exact.
    """

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
        if got > want:
            msg = (f"{self.what} took {got:g} s of (virtual) time; the reference takes {want:g} s. The waits "
                   "added up instead of overlapping.")
            advice = [Finding("sequential", "", "Start all the work first (asyncio.gather, or create_task for "
                              "each), and only then await it: awaiting each coroutine in turn runs them one after "
                              "the other.")]
        else:
            msg = (f"{self.what} returned after {got:g} s of (virtual) time; the reference takes {want:g} s. "
                   "It returned before all the work was done.")
            advice = [Finding("not-awaited", "", "Await every piece of work before returning.")]
        findings = diagnose(observed, only={"blocking-sleep", "never-awaited", "pending-task"}) or advice
        return Verdict(False, msg, findings)

    def __repr__(self) -> str:
        return f"Elapsed({self.what!r})"


__all__ = ["Elapsed"]
