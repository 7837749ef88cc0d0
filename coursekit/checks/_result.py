"""What the entry point returned, against what the reference returned."""

from __future__ import annotations

from coursekit._timeline import Timeline
from coursekit.checks._core import OK, RUN_FINDINGS, Check, Verdict
from coursekit.diagnose import diagnose


class Returns(Check):
    """The value returned by ``main()`` (or by the grader's driver) equals the reference's, compared by repr.

    Comparing reprs keeps the check exact and simple across the process boundary: the trace carries text.
    """

    name = "returns"
    title = "returns the expected value"

    def __init__(self, what: str = "main()", advice: str = "") -> None:
        self.what = what
        self.advice = advice  # what to change when the values differ (the grader knows the likely mistake)

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        if observed.result == expected.result:
            return OK
        if observed.result is None:
            return Verdict(False, f"{self.what} never returned, so there is no value to check.",
                           diagnose(observed, only=RUN_FINDINGS))
        return Verdict(False, f"{self.what} returned {observed.result}; expected {expected.result}."
                       + (f" {self.advice}" if self.advice else ""))

    def __repr__(self) -> str:
        return f"Returns({self.what!r})"
