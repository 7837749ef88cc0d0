"""What every check is: a ``Check`` compares two timelines and answers with a ``Verdict``.

This is the contract for writing a check of your own (subclass ``Check``, give it a ``name`` and a ``title``,
implement ``evaluate``); ``coursekit.checks`` exports it with the checks the kit ships.  A check module is
imported in the student's process when a grader with a driver is loaded there, so it imports the judge's
timeline only for types (``TYPE_CHECKING``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from coursekit._judge.findings import Finding
from coursekit.checks._evidence import Needs

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


@dataclass(frozen=True)
class Verdict:
    """What a check says about one observed run: passed or not, and if not, why, in the student's words.

    The student reads ``message``, then one line per finding, then a picture of the run (drawn for every failed
    check by ``coursekit.grading``, so a check never draws one itself).
    """

    passed: bool
    """Whether the observed run is right by this check."""
    message: str = ""
    """What was seen against what was expected, with the run's own facts (``'Done!' came at 5 s; it is due at
    7.5 s.``); empty when the findings say it all."""
    findings: list[Finding] = field(default_factory=list)
    """The likely mistakes and what to change: from ``coursekit._judge.diagnose.diagnose`` or the check's own."""


OK = Verdict(True)
"""The verdict of a check that passes."""


class Check:
    """One rule a run must follow, judged against the reference solution's run, never against an exercise.

    Subclasses set ``name`` (the key of the check's points in ``course.toml``) and ``title`` (what students read
    as the rule), and implement ``evaluate``.  Expected numbers come from the reference run (``expected``); a
    check's constructor takes only what names things (a line prefix, the word for a unit of work, advice).
    """

    name = ""
    """The check's key in ``course.toml`` (``points = { runs = 1, order = 2 }``); unique within a grader."""
    title = ""
    """The rule, as students read it in their results (``lines come in the expected order``)."""
    needs: ClassVar[frozenset[Needs]] = frozenset()
    """The evidence this check needs before it may pass (``coursekit.checks._evidence``): without it the check
    fails with "Not shown: ..." instead of passing with nothing to judge (only what the reference shows is asked)."""

    shape: ClassVar[bool] = False
    """Whether this check judges the *shape* of a run (how much ran at once, when lines came, who waited how
    long) rather than its safety (results, output, crashes, hangs, leaks).  A shape check is judged under the
    tie schedules only: an explored schedule (``coursekit._engine.exploration``) is adversarial by design (one
    thread may run to its end before another starts), so the shape it shows is not the program's; it is run to
    find races, and a race shows as a wrong result, a lost line, a crash or a hang."""

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        """Judge ``observed`` (the student's run, under one tie policy) against ``expected`` (the reference's).

        Return ``OK``, or a failed ``Verdict`` saying what differs and why.  Called once per tie policy of the
        model; the check passes only if every call passes.  It must not change either timeline.
        """
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


__all__ = ["OK", "Check", "Finding", "Needs", "Verdict"]
