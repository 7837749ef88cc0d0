"""``Busy``: the most workers inside the slow part of their work at once equals the reference's.

More is a broken limit (a pool of three that runs four jobs), fewer is lost concurrency (a pool of three that
is really a pool of one).  The work is the positive sleeps (see ``coursekit.checks._workers``).

In a driver's run the verdict is the whole run's peak, and the message names the smallest scenario where the
difference shows: each scenario's peak is counted in its own part of the clock (``busy_by_scenario``), against
the reference's in the same scenario ("In scenario 3 (items [4, 4, 4] and 2 workers), at most 1 job ...").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from coursekit._engine.events import is_main
from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit._judge.moments import seconds
from coursekit.checks._calls import Scenario, scenario_windows, scenarios_of, whole_run
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._peak import Peak, peak_overlap
from coursekit.checks._standard import MODEL_FINDINGS
from coursekit.checks._unfinished import RUN_FINDINGS, stopped_early
from coursekit.checks._workers import check_work, peak_alive, work_sleeps, workers_of_model

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


def _spans(tl: Timeline, work: str) -> list[tuple[str, float, float]]:
    """Each positive sleep of the work as ``(context, start, end)``, at the timeline's own resolution (exact)."""
    spans = []
    for s in work_sleeps(tl, work):
        d = float(s.get("d", 0.0))
        if d > 0:
            t = float(s["t"])
            spans.append((s["id"], round(t, 9), round(t + d, 9)))
    return spans


def busy_peak(tl: Timeline, work: str = "all") -> Peak:
    """The most contexts inside a positive sleep at the same moment, when that first happens, and which ones."""
    return peak_overlap(_spans(tl, work))


def _clipped(spans: list[tuple[str, float, float]], a: float, b: float) -> list[tuple[str, float, float]]:
    return [(k, max(x, a), min(y, b)) for k, x, y in spans if min(y, b) > max(x, a)]


def busy_by_scenario(tl: Timeline, work: str = "all") -> dict[int, tuple[Scenario, Peak]]:
    """In a driver's run, each scenario's own peak: the sleeps that overlap its part of the clock, cut to it
    (``scenario_windows``); the run's peak is the largest of them.  Empty when no driver announced scenarios."""
    spans = _spans(tl, work)
    return {s.number: (s, peak_overlap(_clipped(spans, a, b))) for s, a, b in scenario_windows(tl)}


def _first_differing(observed: Timeline, expected: Timeline, work: str,
                     differs: Callable[[int, int], bool]) -> tuple[Scenario, Peak, Peak] | None:
    """The smallest scenario (the first run) whose peak differs from the reference's there in the way that failed."""
    obs, exp = busy_by_scenario(observed, work), busy_by_scenario(expected, work)
    for number in sorted(obs):
        if number in exp and differs(obs[number][1].most, exp[number][1].most):
            return obs[number][0], obs[number][1], exp[number][1]
    return None


def _jobs(n: int) -> str:
    return f"{n} job{'s were' if n != 1 else ' was'}"


class Busy(Check):
    """The peak number of workers inside the slow part of their work at once equals the reference's: more is a
    broken limit, fewer is lost concurrency."""

    shape = True  # judged under the tie schedules only (Check.shape)

    name = "busy"
    title = "as many workers busy at once as expected: never more, and no fewer when there is enough work"
    needs = frozenset({Needs.WORKER})

    def __init__(self, work: str = "all") -> None:
        self.work = check_work(work, "Busy")

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        p_obs, at_obs, who = busy_peak(observed, self.work)
        p_exp, at_exp, _ = busy_peak(expected, self.work)
        if p_obs == p_exp:
            return OK
        if p_obs > p_exp:
            return self._over(observed, expected, Peak(p_obs, at_obs, who), p_exp)
        if p_obs == 0:
            return Verdict(False, "None of the work was seen running.", diagnose(observed, only=RUN_FINDINGS))
        stopped = stopped_early(observed)
        if stopped is not None:
            reached = self._reached(expected, p_exp)
            marks = scenarios_of(observed) if observed.returned_at is None else []  # the call it never returned from
            where = f", in {marks[-1].named}" if marks else ""
            by_then = f" (in the {len(marks)} scenarios it reached)" if len(marks) > 1 else ""
            return Verdict(False, f"Your program stopped before it finished{where}: by then at most {_jobs(p_obs)} "
                           f"running at once{by_then}; the reference reaches {p_exp}{reached}.", stopped)
        first = _first_differing(observed, expected, self.work, lambda got, want: got < want)
        if first is not None:
            scenario, got, want = first
            some = f"at most {_jobs(got.most)} running at once" if got.most else "none of the work was seen running"
            msg = (f"In {scenario.named}, {some}; with this much work {want.most} should be (the reference reaches "
                   f"{want.most} there, at {seconds(want.at)}).")
        else:
            msg = (f"At most {_jobs(p_obs)} running at once; with this much work {p_exp} should be (the reference "
                   f"reaches {p_exp} at {seconds(at_exp)}){whole_run(observed)}.")
        limit = first[2].most if first is not None else p_exp
        return Verdict(False, msg, diagnose(observed, only=MODEL_FINDINGS) or [Finding(
                           "under-limit", "", f"Run {limit} workers side by side: start them all before waiting, "
                           "and hand out the next job as soon as a worker is free.")])

    def _over(self, observed: Timeline, expected: Timeline, peak: Peak, p_exp: int) -> Verdict:
        """More jobs at once than the reference: said of the first scenario where that shows, with its moment."""
        first = _first_differing(observed, expected, self.work, lambda got, want: got > want)
        window: tuple[float, float] | None = None
        if first is not None:
            scenario, got, want = first
            peak, limit, where, there = got, want.most, f"In {scenario.named}, at", " there"
            window = next((a, b) for s, a, b in scenario_windows(observed) if s.number == scenario.number)
        else:
            limit, where, there = p_exp, "At", ""
        names = ", ".join(observed.ctx(c).label for c in peak.who[:4])
        return Verdict(False, f"{where} {seconds(peak.at)}, {peak.most} jobs were running at once ({names}); at most "
                       f"{limit} may run at the same time{there}.", [_over_limit(observed, peak.who, limit, window)])

    def _reached(self, expected: Timeline, p_exp: int) -> str:
        """`` (in scenario 12 (...))``: where the reference first reaches its peak, in a driver's run."""
        found = next((s for s, p in busy_by_scenario(expected, self.work).values() if p.most == p_exp), None)
        return f" (in {found.named})" if found is not None else ""


def _alive(observed: Timeline, window: tuple[float, float] | None) -> int:
    """The most workers alive at once: in the whole run (by the trace's order), or within one scenario's part of
    the clock (their lifetimes cut to it)."""
    if window is None:
        return peak_alive(observed)
    a, b = window
    end = max(observed.end_t, a) + 1.0  # a worker that never ended lives past the run's last moment
    workers = set(workers_of_model(observed))
    lives = [(c.id, c.start, c.end if c.end is not None else end) for c in observed.workers() if c.id in workers]
    return peak_overlap(_clipped(lives, a, b)).most


def _over_limit(observed: Timeline, who: list[str], limit: int, window: tuple[float, float] | None = None) -> Finding:
    """What to change when too many jobs ran at once, from who ran them: "use exactly k workers" only when the
    program did have more workers than that at once (in the scenario where it showed, in a driver's run)."""
    workers = set(workers_of_model(observed))
    outside = [observed.ctx(c).label if not is_main(c) else "main" for c in who if c not in workers]
    if outside:
        return Finding("over-limit", "", f"The work also ran outside your workers ({', '.join(outside[:3])}): call it "
                       "only from the workers.")
    if _alive(observed, window) > limit:
        return Finding("over-limit", "", f"Use exactly {limit} workers (max_workers, or the number of threads you "
                       "start).")
    return Finding("over-limit", "", f"Your program had no more than {limit} workers alive at once, but a worker "
                   "ran more than one job at a time: let each worker finish one job before it takes the next.")


__all__ = ["Busy", "busy_by_scenario", "busy_peak"]
