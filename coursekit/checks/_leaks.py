"""``Leaks``: nothing is left running when the entry point returns, beyond what the reference leaves.

A daemon thread that the reference deliberately abandons is fine; what is reported is each left-over worker and
where it is blocked (``thread worker, blocked (on a lock, queue or condition) at pool.py:12 in worker``).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from coursekit._engine.events import is_main
from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
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
            return Verdict(False, f"{self.what} never returned, so what it left running cannot be checked.",
                           diagnose(observed, only=STOPPED_FINDINGS))

        def left(tl: Timeline) -> tuple[list[str], list[str]]:
            alive = [c for c in tl.alive_at_return if not is_main(c)]
            return alive, [c for c in alive if not tl.ctx(c).daemon]

        obs_all, obs_nd = left(observed)
        exp_all, exp_nd = left(expected)
        if len(obs_all) <= len(exp_all) and len(obs_nd) <= len(exp_nd):
            return OK
        shown = obs_nd if len(obs_nd) > len(exp_nd) else obs_all
        described: Counter[str] = Counter()
        for cid in shown:
            wait = observed.alive_waits.get(cid, {})
            on = {"lock": "blocked (on a lock, queue or condition)", "join": "waiting in join()",
                  "sleep": "sleeping", "runnable": "about to run"}.get(wait.get("on", ""), "running")
            where = f" at {wait['where']}" if wait.get("where") else ""
            daemon = " (a daemon)" if observed.ctx(cid).daemon else ""
            described[f"{observed.ctx(cid).label}{daemon}, {on}{where}"] += 1
        parts = [(f"{k} x " if k > 1 else "") + text for text, k in described.most_common(3)]
        n = len(shown)
        msg = (f"{n} worker{'s were' if n > 1 else ' was'} still running when {self.what} returned: "
               + "; ".join(parts) + ("; and others" if len(described) > 3 else "") + ".")
        if len(obs_nd) > len(exp_nd) and len(exp_all) > len(exp_nd):
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


__all__ = ["Leaks"]
