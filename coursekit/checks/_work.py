"""``work``: the work was done, and where it should be: each call of the named work made, once, by a worker of
the kind the reference uses (never main), spread over workers and overlapping as in the reference.

Why: lines can be printed without the work behind them (one coroutine printing the schedule of the fetches it
never made, a parent computing what its pool should have, a table of known answers), and work can be done in the
wrong place (the parent squaring while its workers receive only sentinels, one lock around every pool call, one
process doing every addition).  The engine records every call of the functions the grader names
(``Grader(work=...)``, ``coursekit._engine.work``); this check compares them with the reference's calls.

In a driver's run the comparison is the whole run's (the verdict); the message names the smallest scenario where
the difference shows (calls missing or doubled there, fewer in progress at once there), says when the missing
calls are those of scenarios the driver never reached, and marks the other counts as the whole run's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from coursekit._engine import events as ev_
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS
from coursekit.checks._calls import (
    Call,
    Scenario,
    by_main,
    event_scenarios,
    scenario_windows,
    scenarios_of,
    whole_run,
    work_calls,
)
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


def _placed(tl: Timeline) -> list[tuple[Call, Scenario | None]]:
    """Each call of the work with the scenario of a driver's run it was made in (``None`` outside any)."""
    at = event_scenarios(tl)
    indices = [k for k, e in enumerate(tl.events) if e.get("e") == ev_.WORK]  # the events work_calls reads
    return list(zip(work_calls(tl), [at[k] for k in indices], strict=True))


def _first_short(want: list[tuple[Call, Scenario | None]], got: list[tuple[Call, Scenario | None]],
                 keys: set[tuple[str, str]]) -> tuple[Scenario, list[Call]] | None:
    """The smallest scenario in which ``got`` made fewer calls of one of ``keys`` (``(name, args)``) than ``want``
    did there, with those calls of ``want``'s: calls missing when ``want`` is the reference's, calls made too
    often when ``want`` is the program's."""
    need = Counter((s.number, c.name, c.args) for c, s in want if s is not None)
    have = Counter((s.number, c.name, c.args) for c, s in got if s is not None)
    short: dict[int, tuple[Scenario, list[Call]]] = {}
    for c, s in want:
        if s is not None and (c.name, c.args) in keys and have[(s.number, c.name, c.args)] < need[(s.number, c.name,
                                                                                                     c.args)]:
            short.setdefault(s.number, (s, []))[1].append(c)
    return short[min(short)] if short else None


def _in_all(tl: Timeline, n: int, what: str) -> str:
    """`` In all, 27 different calls are missing, over the 5 scenarios the grader's driver ran.``"""
    count = len(scenarios_of(tl))
    return f" In all, {n} different calls {what}" + (f", over the {count} scenarios the grader's driver ran."
                                                     if count > 1 else ".")


def _in(scenario: Scenario | None) -> str:
    return f"In {scenario.named}, " if scenario is not None else ""


def _scenario_peaks(tl: Timeline) -> dict[int, tuple[Scenario, int]]:
    """Each scenario's most calls in progress at once: the calls that overlap its part of the clock, cut to it."""
    calls = work_calls(tl)
    out = {}
    for s, a, b in scenario_windows(tl):
        cut = [replace(c, t=max(c.t, a), d=min(c.t + c.d, b) - max(c.t, a)) for c in calls
               if min(c.t + c.d, b) > max(c.t, a)]
        out[s.number] = (s, peak(cut))
    return out


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
        placed = _placed(observed)
        want, got = work_calls(expected), [c for c, _ in placed]
        at = {id(c): s for c, s in placed}  # the scenario each of the program's calls was made in
        if not want:
            return OK  # the reference calls none of the named work: nothing to compare (a grader's choice)
        names = sorted({c.name.rsplit(".", 1)[-1] + "()" for c in want})
        if not got:
            return self._fail(f"{' and '.join(names)} was never called: the lines and results did not come from "
                              "the work itself.", f"Call {names[0]} for every item, in the workers.")
        whole = whole_run(observed)
        need, have = Counter((c.name, c.args) for c in want), Counter((c.name, c.args) for c in got)
        missing = [c for c in want if have[(c.name, c.args)] < need[(c.name, c.args)]]
        extra = [c for c in got if have[(c.name, c.args)] > need[(c.name, c.args)]]
        if missing:
            return self._fail(self._missing(observed, expected, missing), "Every item must go through the work "
                              "function once.")
        if extra:
            twice = list({c.unit: c for c in extra}.values())
            first = _first_short(placed, _placed(expected), {(c.name, c.args) for c in extra})
            if first is not None:
                scenario, calls = first
                here = list({c.unit: c for c in calls}.values())
                more = _in_all(observed, len(twice), "were made more than once") if len(twice) > len(here) else ""
                return self._fail(f"In {scenario.named}, some work was done more than once: {_units(here)}.{more}",
                                  "Hand each item to exactly one worker, once.")
            return self._fail(f"Some work was done more than once: {_units(twice)}{whole}.",
                              "Hand each item to exactly one worker, once.")
        in_main = [c for c in got if by_main(observed, c)]
        if in_main and not any(by_main(expected, c) for c in want):
            kinds = sorted({KIND_WORDS.get(expected.ctx(c.ctx).kind, "worker") for c in want})
            first_at = at.get(id(in_main[0]))
            since = f" The first was in {first_at.named}." if first_at is not None else ""
            return self._fail(f"{len(in_main)} of the {len(got)} calls ran in main itself "
                              f"({_units(in_main)}), not in a {' or '.join(_one(k) for k in kinds)}{whole}.{since}",
                              f"Let the {kinds[0]} call the work; main only hands it over and collects the "
                              "results.")
        ref_kinds = {expected.ctx(c.ctx).kind for c in want if not by_main(expected, c)}
        wrong_kind = [c for c in got if not by_main(observed, c) and observed.ctx(c.ctx).kind not in ref_kinds]
        if ref_kinds and wrong_kind:
            want_word = " or ".join(sorted(_one(KIND_WORDS.get(k, k)) for k in ref_kinds))
            c = wrong_kind[0]
            return self._fail(f"{_in(at.get(id(c)))}{c.unit} ran in {observed.ctx(c.ctx).label}, not in a {want_word}.",
                              f"Run the work in a {want_word}, as the exercise asks.")
        ref_workers = {c.ctx for c in want if not by_main(expected, c)}
        obs_workers = {c.ctx for c in got if not by_main(observed, c)}
        if len(ref_workers) >= 2 and len(obs_workers) == 1:
            who = observed.ctx(next(iter(obs_workers))).label
            return self._fail(f"All {len(got)} calls of the work were made by one worker ({who}); the reference "
                              f"spreads them over {len(ref_workers)}{whole}.", "Give the work to every worker, so "
                              "that they share it.")
        want_peak, got_peak = peak(want), peak(got)
        if got_peak < want_peak:
            return self._fail(self._fewer_at_once(observed, expected, got_peak, want_peak), "Hand all the work over "
                              "before waiting for any of it, and do not hold one lock around the whole of each call.")
        return OK

    @staticmethod
    def _missing(observed: Timeline, expected: Timeline, missing: list[Call]) -> str:
        """Calls that never happened: in a driver's run, those of the smallest scenario that lacks some, and how
        many in all; scenarios the driver never reached are said to be that."""
        lost = list({c.unit: c for c in missing}.values())
        announced = {s.number for s in scenarios_of(observed)}
        never = [s for s in scenarios_of(expected) if s.number not in announced]
        reached = [(c, s) for c, s in _placed(expected) if s is None or s.number in announced]
        first = _first_short(reached, _placed(observed), {(c.name, c.args) for c in missing})
        after = len(never) - 1
        not_reached = ("" if not never else f"{never[0].named}"
                       + (f" or the {after} after it" if after > 1 else " or the one after it" if after else ""))
        if first is None and never:
            numbers = {s.number for s in never}
            keys = {(c.name, c.args) for c in missing}
            unreached = [c for c, s in _placed(expected) if s is not None and s.number in numbers
                         and (c.name, c.args) in keys]
            lost = list({c.unit: c for c in unreached}.values()) or lost
            return (f"{len(lost)} call(s) of the work never happened: {_units(lost)}. They are those of "
                    f"{not_reached.replace(' or ', ' and ')}, which the grader's driver never reached.")
        if first is None:
            return f"{len(lost)} call(s) of the work never happened: {_units(lost)}{whole_run(observed)}."
        scenario, calls = first
        here = list({c.unit: c for c in calls}.values())
        msg = f"In {scenario.named}, {len(here)} call(s) of the work never happened: {_units(here)}."
        if len(lost) > len(here):
            msg += _in_all(observed, len(lost), "are missing")
        if never:
            msg += f" The grader's driver never reached {not_reached}."
        return msg

    @staticmethod
    def _fewer_at_once(observed: Timeline, expected: Timeline, got_peak: int, want_peak: int) -> str:
        """Fewer calls in progress at once: said of the smallest scenario where that shows, in a driver's run."""
        obs, exp = _scenario_peaks(observed), _scenario_peaks(expected)
        for number in sorted(obs):
            if number in exp and obs[number][1] < exp[number][1]:
                return (f"In {obs[number][0].named}, at most {obs[number][1]} call(s) of the work were in progress "
                        f"at once; the reference runs {exp[number][1]} at the same time there.")
        return (f"At most {got_peak} call(s) of the work were in progress at once; the reference runs {want_peak} at "
                f"the same time{whole_run(observed)}.")


def _one(plural: str) -> str:
    """``processes`` -> ``process``, ``threads`` -> ``thread``: the words of ``KIND_WORDS`` are plural."""
    return plural[:-2] if plural.endswith("sses") else plural.removesuffix("s")


__all__ = ["Work", "peak"]
