"""``work``: the work was done, and where it should be: each call of the named work made, once, by a worker of
the kind the reference uses (never main), spread over workers and overlapping as in the reference.

Why: lines can be printed without the work behind them (one coroutine printing the schedule of the fetches it
never made, a parent computing what its pool should have, a table of known answers), and work can be done in the
wrong place (the parent squaring while its workers receive only sentinels, one lock around every pool call, one
process doing every addition).  The engine records every call of the functions the grader names
(``Grader(work=...)``, ``coursekit._engine.work``); this check compares them with the reference's calls.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS
from coursekit.checks._calls import Call, by_main, work_calls
from coursekit.checks._check import OK, Check, Verdict
from coursekit.models import KIND_WORDS

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


def _units(calls: list[Call], limit: int = 3) -> str:
    shown = [c.unit for c in calls[:limit]]
    more = f" and {len(calls) - limit} more" if len(calls) > limit else ""
    return ", ".join(shown) + more


def peak(calls: list[Call]) -> int:
    """The most calls in progress at once (calls that take time only: CPU work is instantaneous here)."""
    moments = sorted([(c.t, 1) for c in calls if c.d > EPS] + [(c.t + c.d, -1) for c in calls if c.d > EPS],
                     key=lambda m: (m[0], m[1]))  # an end and a start at the same moment do not overlap
    now = best = 0
    for _, step in moments:
        now += step
        best = max(best, now)
    return best


class Work(Check):
    """Every call of the named work, once, by the right kind of worker, spread and overlapping as in the reference."""

    name = "work"
    title = "the work itself is done, each call once, by the workers (not main), at the same time as expected"

    def __init__(self, advice: str = "") -> None:
        self.advice = advice
        """What to change, in the exercise's words, added to every failure of this check."""

    def _fail(self, message: str, advice: str) -> Verdict:
        return Verdict(False, message, [Finding("work", "", self.advice or advice)])

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        want, got = work_calls(expected), work_calls(observed)
        if not want:
            return OK  # the reference calls none of the named work: nothing to compare (a grader's choice)
        names = sorted({c.name.rsplit(".", 1)[-1] + "()" for c in want})
        if not got:
            return self._fail(f"{' and '.join(names)} was never called: the lines and results did not come from "
                              "the work itself.", f"Call {names[0]} for every item, in the workers.")
        need, have = Counter((c.name, c.args) for c in want), Counter((c.name, c.args) for c in got)
        missing = [c for c in want if have[(c.name, c.args)] < need[(c.name, c.args)]]
        extra = [c for c in got if have[(c.name, c.args)] > need[(c.name, c.args)]]
        if missing:
            lost = list({c.unit: c for c in missing}.values())
            return self._fail(f"{len(lost)} call(s) of the work never happened: {_units(lost)}.",
                              "Every item must go through the work function once.")
        if extra:
            twice = list({c.unit: c for c in extra}.values())
            return self._fail(f"Some work was done more than once: {_units(twice)}.",
                              "Hand each item to exactly one worker, once.")
        in_main = [c for c in got if by_main(observed, c)]
        if in_main and not any(by_main(expected, c) for c in want):
            kinds = sorted({KIND_WORDS.get(expected.ctx(c.ctx).kind, "worker") for c in want})
            return self._fail(f"{len(in_main)} of the {len(got)} calls ran in main itself "
                              f"({_units(in_main)}), not in a {' or '.join(_one(k) for k in kinds)}.",
                              f"Let the {kinds[0]} call the work; main only hands it over and collects the "
                              "results.")
        ref_kinds = {expected.ctx(c.ctx).kind for c in want if not by_main(expected, c)}
        wrong_kind = [c for c in got if not by_main(observed, c) and observed.ctx(c.ctx).kind not in ref_kinds]
        if ref_kinds and wrong_kind:
            want_word = " or ".join(sorted(_one(KIND_WORDS.get(k, k)) for k in ref_kinds))
            c = wrong_kind[0]
            return self._fail(f"{c.unit} ran in {observed.ctx(c.ctx).label}, not in a {want_word}.",
                              f"Run the work in a {want_word}, as the exercise asks.")
        ref_workers = {c.ctx for c in want if not by_main(expected, c)}
        obs_workers = {c.ctx for c in got if not by_main(observed, c)}
        if len(ref_workers) >= 2 and len(obs_workers) == 1:
            who = observed.ctx(next(iter(obs_workers))).label
            return self._fail(f"All {len(got)} calls of the work were made by one worker ({who}); the reference "
                              f"spreads them over {len(ref_workers)}.", "Give the work to every worker, so that "
                              "they share it.")
        want_peak, got_peak = peak(want), peak(got)
        if got_peak < want_peak:
            return self._fail(f"At most {got_peak} call(s) of the work were in progress at once; the reference "
                              f"runs {want_peak} at the same time.", "Hand all the work over before waiting for "
                              "any of it, and do not hold one lock around the whole of each call.")
        return OK


def _one(plural: str) -> str:
    """``processes`` -> ``process``, ``threads`` -> ``thread``: the words of ``KIND_WORDS`` are plural."""
    return plural[:-2] if plural.endswith("sses") else plural.removesuffix("s")


__all__ = ["Work", "peak"]
