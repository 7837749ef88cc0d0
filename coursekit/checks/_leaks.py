"""``Leaks``: nothing is left running when the entry point returns, beyond what the reference leaves.

A daemon thread that the reference deliberately abandons is fine; what is reported is each left-over worker and
where it is blocked (``thread worker, blocked (on a lock, queue or condition) at pool.py:12 in worker``).

In a driver's run what is left is seen when the driver returns, after every call: the message names the smallest
scenario whose call started more of the left-over workers than the reference's does, and gives the total as the
whole run's, not as what one call left.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from coursekit._engine import events as ev_
from coursekit._engine.events import is_main
from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit.checks._calls import Scenario, driven, event_scenarios, scenarios_of, whole_run
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._unfinished import STOPPED_FINDINGS

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


class Leaks(Check):
    """Nothing is left running when the entry point returns, beyond what the reference leaves (a daemon thread
    that is deliberately abandoned, for instance)."""

    name = "leaks"
    title = "no worker is left running when it returns"
    needs = frozenset({Needs.WORKER})

    def __init__(self, what: str = "main()", advice: str = "") -> None:
        self.what = what
        self.advice = advice or "Make every worker finish and join it before returning."

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        if observed.returned_at is None:
            marks = scenarios_of(observed)  # a driver's run: the call it was in when the run stopped
            where = f"In {marks[-1].named}, " if marks else ""
            return Verdict(False, f"{where}{self.what} never returned, so what it left running cannot be checked.",
                           diagnose(observed, only=STOPPED_FINDINGS))

        def left(tl: Timeline) -> tuple[list[str], list[str]]:
            alive = [c for c in tl.alive_at_return if not is_main(c)]
            return alive, [c for c in alive if not tl.ctx(c).daemon]

        obs_all, obs_nd = left(observed)
        exp_all, exp_nd = left(expected)
        if len(obs_all) <= len(exp_all) and len(obs_nd) <= len(exp_nd):
            return OK
        non_daemon = len(obs_nd) > len(exp_nd)
        shown = obs_nd if non_daemon else obs_all
        n = len(shown)
        first = _first_scenario(observed, expected, shown, exp_nd if non_daemon else exp_all)
        if first is None:  # in a driver's run, seen when the driver returned: the whole run's count
            when = f"the grader's driver returned{whole_run(observed)}" if driven(observed) else f"{self.what} returned"
            msg = f"{n} worker{'s were' if n > 1 else ' was'} still running when {when}: {_described(observed, shown)}."
        else:  # a driver's run: counted when the driver returned, the leak shown where it began
            scenario, here, theirs = first
            k = len(here)
            ref = f" (the reference leaves {theirs} there)" if theirs else ""
            msg = (f"{k} worker{'s' if k > 1 else ''} started in {scenario.named} {'were' if k > 1 else 'was'} "
                   f"still running when the grader's driver returned, after that call of {self.what} had ended{ref}: "
                   + _described(observed, here) + ".")
            if n > k:
                msg += f" In all, {n} workers were still running then{whole_run(observed)}."
        if non_daemon and len(exp_all) > len(exp_nd):
            msg += " A thread that is not a daemon keeps the program from exiting."
        return Verdict(False, msg, [Finding("leak", "", self._advice(observed, shown, len(exp_all)))])

    def _advice(self, observed: Timeline, shown: list[str], expected_left: int) -> str:
        """The grader's advice, unless every worker left is a daemon already and the advice says to make one."""
        if not all(observed.ctx(cid).daemon for cid in shown) or "daemon" not in self.advice.lower():
            return self.advice
        left = {0: "none", 1: "only 1"}.get(expected_left, f"only {expected_left}")
        return (f"{'It is a daemon' if len(shown) == 1 else 'They are daemons'} already; the reference leaves {left} "
                "running here, so start only the workers the work needs.")

    def __repr__(self) -> str:
        return f"Leaks({self.what!r})"


def _described(observed: Timeline, shown: list[str]) -> str:
    """Each left-over worker and where it is blocked, alike ones counted together (the three most common)."""
    described: Counter[str] = Counter()
    for cid in shown:
        wait = observed.alive_waits.get(cid, {})
        on = {"lock": "blocked (on a lock, queue or condition)", "join": "waiting in join()",
              "sleep": "sleeping", "runnable": "about to run"}.get(wait.get("on", ""), "running")
        where = f" at {wait['where']}" if wait.get("where") else ""
        daemon = " (a daemon)" if observed.ctx(cid).daemon else ""
        described[f"{observed.ctx(cid).label}{daemon}, {on}{where}"] += 1
    parts = [(f"{k} x " if k > 1 else "") + text for text, k in described.most_common(3)]
    return "; ".join(parts) + ("; and others" if len(described) > 3 else "")


def _started_in(tl: Timeline, cids: list[str]) -> dict[str, Scenario]:
    """The scenario of a driver's run in whose part each of ``cids`` was started (those started in one)."""
    at = event_scenarios(tl)
    wanted = set(cids)
    out: dict[str, Scenario] = {}
    for k, e in enumerate(tl.events):
        scenario = at[k]
        if e.get("e") == ev_.SPAWN and e.get("id") in wanted and scenario is not None:
            out.setdefault(str(e["id"]), scenario)
    return out


def _first_scenario(observed: Timeline, expected: Timeline, shown: list[str],
                    theirs: list[str]) -> tuple[Scenario, list[str], int] | None:
    """The smallest scenario whose calls left more workers running than the reference's do there (the workers
    left, counted at the driver's return, placed where each was started): its workers, and the reference's count."""
    if not driven(observed):
        return None
    mine, ref = _started_in(observed, shown), _started_in(expected, theirs)
    counts = Counter(s.number for s in ref.values())
    by: dict[int, tuple[Scenario, list[str]]] = {}
    for cid in shown:
        if cid in mine:
            by.setdefault(mine[cid].number, (mine[cid], []))[1].append(cid)
    for number in sorted(by):
        if len(by[number][1]) > counts[number]:
            return by[number][0], by[number][1], counts[number]
    return None


__all__ = ["Leaks"]
