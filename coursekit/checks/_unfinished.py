"""A run that did not finish: which findings explain it, and the verdict of a check that cannot judge it.

Why one module: a count or a time taken from a run cut short (by a deadlock, a hang, a crash, the time limit) is
what the run had done *by then*, not a mistake of its own; every check that needs a finished run says so and
names what stopped it, with the same findings, instead of advice about the count.  Three helpers used to do
this three ways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit.checks._check import Verdict

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline

RUN_FINDINGS = frozenset({"not-implemented", "syntax", "missing", "crash", "import-crash", "import-exit",
                          "runs-on-import", "cut-short", "unreadable", "process-in-threads", "process-in-coroutines"})
"""Findings that explain why a program did not run (also quoted by other checks when nothing was printed)."""

STOP_FINDINGS = frozenset({"stuck", "deadlock", "time-limit"})
"""Findings of the engine stopping a run: a busy loop, a deadlock, the virtual time limit."""

STOPPED_FINDINGS = RUN_FINDINGS | STOP_FINDINGS
"""Everything that can explain why a run did not reach its end."""


def ran_to_end(tl: Timeline) -> bool:
    """Whether the entry point returned and the harness itself ended the run."""
    return tl.returned_at is not None and tl.completed


def unfinished(observed: Timeline, why: str) -> Verdict:
    """The failure of a check that needs the run to have ended: ``why`` it could not judge, and what stopped it."""
    return Verdict(False, why, diagnose(observed, only=STOPPED_FINDINGS))


def stopped_early(tl: Timeline) -> list[Finding] | None:
    """What stopped a run that did not run to its end, or ``None`` if it did."""
    if ran_to_end(tl):
        return None
    return diagnose(tl, only=STOPPED_FINDINGS) or [
        Finding("unfinished", "Your program ended before it finished.", "Let it run to the end.")]


def unless_ran_to_end(tl: Timeline) -> Verdict | None:
    """``None`` for a run that ran to its end; else the verdict that this could not be checked, and why."""
    if ran_to_end(tl):
        return None
    return unfinished(tl, "The program did not run to the end, so this could not be checked.")


__all__ = ["RUN_FINDINGS", "STOPPED_FINDINGS", "STOP_FINDINGS", "ran_to_end", "stopped_early", "unfinished",
           "unless_ran_to_end"]
