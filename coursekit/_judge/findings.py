"""A finding: the likely mistake behind a failed check, in the student's words: what happened, what to change.

Why a module of its own: checks build findings of their own (advice that only they can give), and a grader
module is imported inside the student's process, so the type must come without the judge that detects findings
from a trace (``coursekit._judge.diagnose``, which reads timelines and imports the runner).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One mistake, as a failure message lists it (``- what. advice``).

    A finding made by ``coursekit._judge.diagnose`` has a kind of its ``FINDING_KINDS``; a check may add findings
    of its own kinds (``"over-limit"``, ``"leak"``), usually with ``what`` empty and only ``advice``.
    """

    kind: str
    """A short name of the mistake (``not-joined``, ``deadlock``): for tests and reports, never shown."""
    what: str
    """What happened, where, with the run's own facts (``thread print_letters was never waited for``)."""
    advice: str = ""
    """What to change (``join() it before going on.``); empty when ``what`` says it all."""

    def text(self) -> str:
        """The finding as one sentence or two: ``what`` (given a full stop when advice follows), then ``advice``."""
        what = self.what.rstrip()
        if what and self.advice and not what.endswith((".", "!", "?", ":")):
            what += "."
        return " ".join(p for p in (what, self.advice) if p)


__all__ = ["Finding"]
