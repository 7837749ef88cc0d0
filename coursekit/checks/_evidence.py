"""No vacuous credit: what a check needs to have seen before its "passed" means anything.

Why a module of its own: a check that has nothing to judge used to pass ("nothing was left running" is true of a
program that starts nothing), so a ``main()`` that only printed ``Done!`` earned half the points of an exercise.
Each check now declares what it needs (``Check.needs``); ``coursekit.grading`` asks ``missing`` before it calls
the check, and a check without its evidence fails with a sentence that says what is missing ("Not shown: no
worker was started").  ``work_missing`` is the same question for the run as a whole: a run that shows none of
the reference's work gets no credit from any check.

What counts is read from the reference: evidence it does not show itself is never asked for (a grader whose
driver starts the threads and calls the student's class asks for no worker of the student's own).  Pure: it
reads timelines only, so a grader loaded in the student's process may import it.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from coursekit._engine.events import POOL_CALL_PREFIX, is_main
from coursekit._judge.pairing import match_lines
from coursekit.checks._calls import work_calls
from coursekit.models import KIND_WORDS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coursekit._judge.timeline import Context, Timeline


class Needs(enum.Enum):
    """One kind of evidence a check needs before it may pass (asked for only where the reference shows it)."""

    WORKER = "worker"
    """A worker started by the student's code: a thread, process, task or pool call."""
    WORKER_LINES = "worker-lines"
    """At least one of the lines the reference's workers print (two lines to order, times to compare)."""
    WORK = "work"
    """At least one call of the functions the grader names as the work (``Grader(work=...)``)."""


def student_workers(tl: Timeline) -> list[Context]:
    """The workers the student's own code started: those created at a line of the student's file, and pool
    calls (a pool's workers are the pool's; the calls submitted to it are the student's).

    Workers the grader's driver starts, and the event loop's own housekeeping tasks, have no such line."""
    return [c for c in tl.workers() if c.where or c.id.startswith(POOL_CALL_PREFIX)]


def _worker_texts(tl: Timeline) -> set[str]:
    return {x.text for x in tl.lines if not is_main(x.ctx) and tl.ctx(x.ctx).kind != "main"}


def _counted(n: int, plural: str) -> str:
    """``1 thread``, ``2 processes``: ``plural`` is a word of ``KIND_WORDS`` (always plural)."""
    if n != 1:
        return f"{n} {plural}"
    return f"1 {plural[:-2] if plural.endswith('sses') else plural[:-1]}"


def _reference_workers(expected: Timeline) -> str:
    """``2 threads (print_numbers, print_letters)``: what the reference starts, for a message."""
    workers = student_workers(expected)
    kinds = sorted({KIND_WORDS.get(c.kind, c.kind + "s") for c in workers})
    targets = list(dict.fromkeys(c.target.rsplit(".", 1)[-1] for c in workers if c.target))
    kind = kinds[0] if len(kinds) == 1 else "workers"
    names = f" ({', '.join(targets[:3])}{', ...' if len(targets) > 3 else ''})" if targets else ""
    return f"{_counted(len(workers), kind)}{names}"


def missing(needs: Iterable[Needs], observed: Timeline, expected: Timeline) -> str:
    """What ``observed`` lacks of ``needs`` (only the needs the reference itself meets), as the first sentence
    of a failure (``Not shown: no worker was started ...``); empty when nothing is missing."""
    for need in needs:
        if need is Needs.WORKER and student_workers(expected) and not student_workers(observed):
            return (f"Not shown: no worker was started (the reference starts {_reference_workers(expected)}), "
                    "so there is nothing for this check to judge.")
        if need is Needs.WORKER_LINES:
            want = _worker_texts(expected)
            if len(match_lines(observed, expected)) < 2 <= len(expected.lines):
                return ("Not shown: fewer than two of the expected lines were printed, so there is nothing for this "
                        "check to judge.")
            if want and not want & {x.text for x in observed.lines}:
                example = min(want)
                return (f"Not shown: none of the lines the workers print (such as {example!r}) was printed, so "
                        "there is nothing for this check to judge.")
        if need is Needs.WORK and work_calls(expected) and not work_calls(observed):
            return (f"Not shown: {_work_names(expected)} was never called, so there is nothing for this check to "
                    "judge.")
    return ""


def _shows_worker_lines(tl: Timeline, ref_texts: set[str]) -> bool:
    """One of the reference's worker lines printed by a worker, or two of them printed at all: a lone worker line
    printed by main (the last line of the run, say) shows no work."""
    printed = [x for x in tl.lines if x.text in ref_texts]
    return any(not is_main(x.ctx) and tl.ctx(x.ctx).kind != "main" for x in printed) or \
        len({x.text for x in printed}) >= 2


def _work_names(tl: Timeline) -> str:
    names = list(dict.fromkeys(f"{c.name}()" for c in work_calls(tl)))
    return " nor ".join(names[:3]) if len(names) <= 2 else f"{', '.join(names[:-1])} nor {names[-1]}"


def work_missing(observed: Iterable[Timeline], expected: Timeline) -> str:
    """Why the runs show none of the reference's work, or empty when they show some.

    Where the grader names the work (and the reference calls it), a call of it is the evidence.  Otherwise the
    work is shown by a worker of the student's own (when the reference starts one) or by the reference's
    workers' lines (when its workers print: one printed by a worker, or two printed at all).
    A run that shows none of these (an empty ``main()``, one that prints only the final line, or returns the
    right constant) gets no credit from any check."""
    runs = list(observed)
    ref_workers = student_workers(expected)
    ref_texts = _worker_texts(expected)
    ref_calls = work_calls(expected)
    if not ref_workers and not ref_texts and not ref_calls:
        return ""  # the reference shows no work of these kinds: nothing to ask for
    if ref_calls:  # the grader names the work: its calls are the evidence, lines and workers can be faked
        return "" if any(work_calls(tl) for tl in runs) else f"No credit: {_work_names(expected)} was never called; " \
            "there is no work for this check to credit."
    if ref_workers and any(student_workers(tl) for tl in runs):
        return ""
    if ref_texts and any(_shows_worker_lines(tl, ref_texts) for tl in runs):
        return ""
    shown = []
    if ref_workers:
        shown.append(f"no worker was started (the reference starts {_reference_workers(expected)})")
    if ref_texts:
        shown.append("none of the lines the workers print was printed")
    if ref_calls:
        shown.append(f"{_work_names(expected)} was never called")
    return ("No credit: " + ", and ".join(shown) + "; there is no work for this check to credit.") if shown else ""


__all__ = ["Needs", "missing", "student_workers", "work_missing"]
