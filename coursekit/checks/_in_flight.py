"""``InFlight``: how many units of work are in progress at once: at most ``k``, and ``k`` when there is enough.

A *unit* is a group of printed lines: by default the lines of one worker of the reference run (a thread, a
process or a task), or, with ``key``, the lines that share a key (``key=r"job (\\d+)"`` groups ``job 3 starts``
with ``job 3 done``).  A unit is in flight from its first line to its last (open interval: a unit that ends at
the moment another starts does not overlap it).  Units are found by matching the observed lines with the
reference's, so the count does not depend on how the program arranged its workers: one task per job, a pool of
workers, or main itself all count the same way.  The expected peak is the reference's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from coursekit._engine.events import is_main
from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS
from coursekit.checks._calls import capital, in_scenario, scenario_map, scenario_of
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._peak import Peak, peak_overlap
from coursekit.checks._standard import match_lines
from coursekit.checks._unfinished import RUN_FINDINGS

if TYPE_CHECKING:
    from coursekit._judge.timeline import Line, Timeline


def peak_in_flight(intervals: dict[str, tuple[float, float]]) -> Peak:
    """The most units whose intervals overlap (times within ``EPS`` are one moment), when that first happens,
    and which units, in the order they started."""
    best = peak_overlap(((u, a, b) for u, (a, b) in intervals.items()), same_within=EPS)
    return best._replace(who=sorted(best.who, key=lambda u: (intervals[u][0], u)))


class InFlight(Check):
    """The peak number of units of work in progress at once equals the reference's, whatever ran them."""

    shape = True  # judged under the tie schedules only (Check.shape)

    name = "in_flight"
    title = "as many jobs run at the same time as in the reference, never more"
    needs = frozenset({Needs.WORKER})

    def __init__(self, key: str | None = None, unit: str = "job", *, too_many: str = "", too_few: str = "") -> None:
        """``too_many`` / ``too_few``: what to change, in the exercise's words (the numbers come from the runs)."""
        self.key = re.compile(key) if key is not None else None
        self.unit = unit
        self.title = f"as many {unit}s run at the same time as in the reference, never more"
        self.too_many = too_many or (f"Hold the limit for the whole of each {unit}: one semaphore (or pool of "
                                     "workers) created once and shared, not one per job.")
        self.too_few = too_few or (f"Start every {unit} before waiting for any of them, and let the limit (not "
                                   "the order of your awaits) hold them back.")

    def _unit_of(self, ref: Line) -> str | None:
        """Which unit a line belongs to, read from its reference twin (so the program's layout is irrelevant)."""
        if self.key is None:
            return None if is_main(ref.ctx) else ref.ctx
        m = self.key.search(ref.text)
        return m.group(1) if m and m.groups() else (m.group(0) if m else None)

    def _intervals(self, pairs: list[tuple[Line, Line]],
                   side: int) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
        times: dict[str, list[float]] = {}
        names: dict[str, str] = {}
        for pair in pairs:
            unit = self._unit_of(pair[1])
            if unit is None:
                continue
            times.setdefault(unit, []).append(pair[side].t)
            names.setdefault(unit, pair[1].text)
        return {u: (min(ts), max(ts)) for u, ts in times.items()}, names

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        ref_pairs = [(e, e) for e in expected.lines]
        want_iv, names = self._intervals(ref_pairs, 1)
        want = peak_in_flight(want_iv).most
        pairs = match_lines(observed, expected)
        got_iv, _ = self._intervals(pairs, 0)
        if len(got_iv) < len(want_iv) or not pairs:
            missing = [u for u in want_iv if u not in got_iv]
            if not missing:
                return Verdict(False, "None of the expected lines was printed.", diagnose(observed, only=RUN_FINDINGS))
            first = next((e for e in expected.lines if self._unit_of(e) == missing[0]), None)
            due = scenario_of(expected, first) if first is not None else None
            return Verdict(False, f"Not every {self.unit} printed its lines (for example {names[missing[0]]!r}"
                           f"{f', due in {due.named},' if due else ''} never came), so how many ran at once could "
                           "not be measured.", diagnose(observed, only=RUN_FINDINGS))
        got, at, who = peak_in_flight(got_iv)
        if got == want:
            return OK
        firsts = self._first_lines(pairs)
        if got > want:
            listed = ", ".join(repr(names[u]) for u in who[:6])
            where = in_scenario(observed, firsts[0].get(who[0])) if who else ""
            msg = capital(f"{where}{got} {self.unit}s were running at once at {at:g} s ({listed}); the reference "
                          f"never runs more than {want} at the same time.")
            fix = self.too_many
        else:
            msg = self._too_few(observed, expected, pairs, got, want, firsts)
            fix = self.too_few
        return Verdict(False, msg, diagnose(observed, only={"blocking-sleep", "never-awaited"}) or
                       [Finding("in-flight", "", fix)])

    def _first_lines(self, pairs: list[tuple[Line, Line]]) -> tuple[dict[str, Line], dict[str, Line]]:
        """Each unit's first line, observed and expected."""
        obs: dict[str, Line] = {}
        exp: dict[str, Line] = {}
        for o, e in pairs:
            unit = self._unit_of(e)
            if unit is not None:
                obs.setdefault(unit, o)
                exp.setdefault(unit, e)
        return obs, exp

    def _too_few(self, observed: Timeline, expected: Timeline, pairs: list[tuple[Line, Line]], got: int, want: int,
                 firsts: tuple[dict[str, Line], dict[str, Line]]) -> str:
        """Fewer at once than the reference: in a driver's run, said of the scenario where the reference reaches
        its peak, with the most the program had at once there (the whole run's peak is no more than ``got``)."""
        plural = f"{self.unit}{'s' if got != 1 else ''}"
        exp_at = scenario_map(expected)
        ref_iv, _ = self._intervals([(e, e) for e in expected.lines], 1)
        ref_peak = peak_in_flight(ref_iv)
        peak_line = next((x for x in expected.lines if self._unit_of(x) in ref_peak.who[:1]), None)
        scenario = exp_at.get(id(peak_line)) if peak_line is not None else None
        if scenario is None:
            return (f"At most {got} {plural} ran at the same time; the reference runs {want} at once when there is "
                    "enough work.")
        units = {u for u, e in firsts[1].items() if exp_at.get(id(e)) == scenario}
        obs_iv, _ = self._intervals([(o, e) for o, e in pairs if self._unit_of(e) in units], 0)
        there = peak_in_flight(obs_iv).most
        whole = f" (in the whole run, at most {got} {plural} ran at once)" if there != got else ""
        return (f"In {scenario.named}, at most {there} {self.unit}{'s' if there != 1 else ''} ran at the same time; "
                f"the reference runs {want} at once there{whole}.")

    def __repr__(self) -> str:
        return f"InFlight(key={self.key.pattern if self.key else None!r}, unit={self.unit!r})"


__all__ = ["InFlight", "peak_in_flight"]
