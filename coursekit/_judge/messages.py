"""The words of a failed check, as the judge writes them: what was seen and expected, the findings, the picture.

Why here and not in a view: a result's ``message`` is made once, when it is graded, and every consumer reads it
(the terminal, the HTML page, pytest's report, ``feedback.md``, ``results.json``, the gradebook).  Composing it is
judge work, so it must not depend on how any view draws: the plain-text drawing of the picture is passed in by the
caller (``coursekit.grading`` draws it with ``coursekit._view.text``), never drawn here.  The message ends with
that drawing for exports that only keep text; views that draw their own picture take the words alone
(``explanation``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from coursekit._judge.diagnose import Finding
    from coursekit.results import CheckResult

TIMELINE_HEADING = "Timeline (virtual seconds since main() started):"
"""The line between a failure's words and its plain-text picture, in every message."""

GRADER_BROKEN = "The grader itself is broken (not your fault; tell your instructor):"
"""What a student is told when the grader (never their code) could not be loaded or run; the error follows."""


CHECK_FINDING_KINDS: tuple[str, ...] = (
    "blocks-loop", "cancel-not-awaited", "cancelled-early", "children", "count", "duplicate-items",
    "fake-concurrency", "idle-workers", "in-flight", "late", "leak", "leftover", "lost-items", "lost-update",
    "no-cleanup", "no-pool", "no-process", "no-queue", "not-awaited", "not-cancelled", "not-once", "not-shared",
    "one-chunk", "one-worker", "order-by-luck", "over-limit", "role", "slow", "swallowed-cancel", "thread-pool",
    "under-limit", "unfinished", "work", "work-in-main", "worker-count",
)
"""The kinds of the findings the checks make themselves (``coursekit.checks``: advice from what one check
measured, "7 jobs at once"), besides those ``diagnose`` makes (``FINDING_KINDS``).  Both name a mistake in a
result's ``findings``, so both may key a hint (``hints_for`` in ``course.toml``); ``tests/test_hints_for.py``
keeps this list equal to the kinds written in the checks' source."""


class Judgement(Protocol):
    """What a check answered: its words and its findings (``coursekit.checks.Verdict`` is one)."""

    @property
    def message(self) -> str: ...

    @property
    def findings(self) -> Sequence[Finding]: ...


def failure_message(verdict: Judgement, *, note: str = "", drawing: str = "") -> str:
    """The message of a failed check: what was seen and expected, the findings, a note, then the plain picture.

    ``drawing`` is the plain-text picture of the run (``coursekit._view.text.picture_text``); empty: no picture.
    """
    parts = []
    if verdict.message:
        parts.append(verdict.message)
    for finding in verdict.findings:
        parts.append("- " + finding.text())
    if note:
        parts.append(note)
    text = "\n".join(parts)
    if drawing:
        text += f"\n\n{TIMELINE_HEADING}\n{drawing}"
    return text


def explanation(result: CheckResult) -> str:
    """A failed check's words without the picture appended to its message (views draw their own)."""
    if result.timeline:
        return result.message.removesuffix(f"\n\n{TIMELINE_HEADING}\n{result.timeline}").rstrip()
    return result.message


__all__ = ["CHECK_FINDING_KINDS", "GRADER_BROKEN", "TIMELINE_HEADING", "Judgement", "explanation", "failure_message"]
