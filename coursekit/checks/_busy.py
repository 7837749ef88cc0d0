"""``Busy``: the most workers inside the slow part of their work at once equals the reference's.

More is a broken limit (a pool of three that runs four jobs), fewer is lost concurrency (a pool of three that
is really a pool of one).  The work is the positive sleeps (see ``coursekit.checks._workers``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit._engine.events import is_main
from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit._judge.moments import seconds
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._peak import Peak, peak_overlap
from coursekit.checks._standard import MODEL_FINDINGS
from coursekit.checks._unfinished import RUN_FINDINGS, stopped_early
from coursekit.checks._workers import check_work, peak_alive, work_sleeps, workers_of_model

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


def busy_peak(tl: Timeline, work: str = "all") -> Peak:
    """The most contexts inside a positive sleep at the same moment, when that first happens, and which ones."""
    spans = []
    for s in work_sleeps(tl, work):
        d = float(s.get("d", 0.0))
        if d > 0:
            t = float(s["t"])
            spans.append((s["id"], round(t, 9), round(t + d, 9)))  # the timeline's own resolution: exact
    return peak_overlap(spans)


class Busy(Check):
    """The peak number of workers inside the slow part of their work at once equals the reference's: more is a
    broken limit, fewer is lost concurrency."""

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
            names = ", ".join(observed.ctx(c).label for c in who[:4])
            return Verdict(False, f"At {seconds(at_obs)}, {p_obs} jobs were running at once ({names}); at most "
                           f"{p_exp} may run at the same time.", [_over_limit(observed, who, p_exp)])
        if p_obs == 0:
            return Verdict(False, "None of the work was seen running.", diagnose(observed, only=RUN_FINDINGS))
        stopped = stopped_early(observed)
        if stopped is not None:
            return Verdict(False, f"Your program stopped before it finished: by then at most {p_obs} job"
                           f"{'s were' if p_obs > 1 else ' was'} running at once; the reference reaches {p_exp}.",
                           stopped)
        return Verdict(False, f"At most {p_obs} job{'s were' if p_obs > 1 else ' was'} running at once; with this "
                       f"much work {p_exp} should be (the reference reaches {p_exp} at {seconds(at_exp)}).",
                       diagnose(observed, only=MODEL_FINDINGS) or [Finding(
                           "under-limit", "", f"Run {p_exp} workers side by side: start them all before waiting, "
                           "and hand out the next job as soon as a worker is free.")])


def _over_limit(observed: Timeline, who: list[str], limit: int) -> Finding:
    """What to change when too many jobs ran at once, from who ran them: "use exactly k workers" only when the
    program did have more workers than that at once."""
    workers = set(workers_of_model(observed))
    outside = [observed.ctx(c).label if not is_main(c) else "main" for c in who if c not in workers]
    if outside:
        return Finding("over-limit", "", f"The work also ran outside your workers ({', '.join(outside[:3])}): call it "
                       "only from the workers.")
    if peak_alive(observed) > limit:
        return Finding("over-limit", "", f"Use exactly {limit} workers (max_workers, or the number of threads you "
                       "start).")
    return Finding("over-limit", "", f"Your program had no more than {limit} workers alive at once, but a worker "
                   "ran more than one job at a time: let each worker finish one job before it takes the next.")


__all__ = ["Busy", "busy_peak"]
