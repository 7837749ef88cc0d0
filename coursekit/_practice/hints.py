"""Which hints a failure gets: those of the mistake it shows, not always the exercise's first.

Why: the first hint of an exercise is a nudge for someone who has started the work ("each function is a plain
loop"); a student whose file does not even parse needs to hear about the syntax error.  So a failure is matched,
most specific first, against

1. the kinds of its findings (``CheckResult.findings``: ``syntax``, ``run-not-start``, ``not-joined``, ...), the
   cause before its effects (``FINDING_KINDS`` order: ``run()`` instead of ``start()`` before "everything ran
   one after the other"): the exercise's ``hints_for`` in ``course.toml``, then the kit's own ``KIT_HINTS``
   (mistakes that read the same in every exercise: a file Python cannot read, a function renamed);
2. the names of its failed checks, in check order, in ``hints_for``;
3. else the exercise's progressive ``hints``.

``feedback.md`` (``coursekit._bulk.gradebook``) and ``course hint`` (``coursekit._practice.checking``) both
choose with ``choose``; so does watch mode's ``h``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coursekit._judge.diagnose import FINDING_KINDS
from coursekit.registry import Exercise
from coursekit.results import ExerciseResult, Status

KIT_HINTS: dict[str, tuple[str, ...]] = {
    "syntax": ("Python stops at the first line it cannot read, so nothing of your program ran yet. Look at the "
               "line the message names and the line just above it: a bracket or a quote left open, a missing "
               "colon after def/if/for/while/with, or indentation that does not line up. "
               "`python <your file>` shows the same error with a caret under the spot.",),
    "unreadable": ("Save the file again as plain UTF-8 text from your editor (no word-processor formats).",),
    "missing": ("The grader calls the function the lesson names, with the parameters the stub gives it: keep "
                "that name and that signature (a function renamed, moved into another one, or deleted cannot be "
                "called).",),
    "import-exit": ("Nothing at the top level of the file should stop Python: move the sys.exit() (or exit()) "
                    "out, or under `if __name__ == \"__main__\":`.",),
    "import-crash": ("The error happened while your file was being imported, before any of your functions ran: "
                     "look at the lines outside every def, near the line the message names.",),
    "runs-on-import": ("Code at the top level runs as soon as the file is imported. Call main() only under "
                       "`if __name__ == \"__main__\":`, as the stub does.",),
}
"""Hints for mistakes that read the same in every exercise (finding kind -> hints); ``hints_for`` overrides."""


@dataclass(frozen=True)
class HintChoice:
    """The hints a failure gets: ``key`` is the finding kind or check they answer ("" for the exercise's
    progressive ``hints``), ``hints`` the hints in order."""

    key: str
    hints: tuple[str, ...]

    @property
    def targeted(self) -> bool:
        """Chosen for a mistake, not the exercise's general hints."""
        return bool(self.key)


def choose(exercise: Exercise, failed_checks: Sequence[str], findings: Sequence[str]) -> HintChoice:
    """The hints for a failure whose failed checks are ``failed_checks`` and whose findings have the kinds
    ``findings`` (see the module docstring for the order)."""
    rank = {kind: i for i, kind in enumerate(FINDING_KINDS)}
    for kind in sorted(findings, key=lambda k: rank.get(k, len(rank))):  # (stable: a check's own kinds last)
        hints = exercise.hints_for.get(kind) or KIT_HINTS.get(kind)
        if hints:
            return HintChoice(kind, tuple(hints))
    for name in failed_checks:
        if exercise.hints_for.get(name):
            return HintChoice(name, tuple(exercise.hints_for[name]))
    return HintChoice("", exercise.hints)


def failure_of(result: ExerciseResult) -> tuple[list[str], list[str]]:
    """A result's failed checks (in check order) and their finding kinds (in that order, each once)."""
    failed = [c for c in result.checks if c.status is not Status.PASSED]
    kinds = list(dict.fromkeys(kind for c in failed for kind in c.findings))
    return [c.name for c in failed], kinds


def choose_for(exercise: Exercise, result: ExerciseResult) -> HintChoice:
    """The hints for a graded result (the general ones when it passed)."""
    failed, kinds = failure_of(result)
    return choose(exercise, failed, kinds)


def unknown_keys(exercise: Exercise, check_names: Sequence[str], finding_kinds: Sequence[str]) -> list[str]:
    """The keys of the exercise's ``hints_for`` that name neither one of its checks nor a finding kind."""
    return sorted(set(exercise.hints_for) - set(check_names) - set(finding_kinds))


__all__ = ["KIT_HINTS", "HintChoice", "choose", "choose_for", "failure_of", "unknown_keys"]
