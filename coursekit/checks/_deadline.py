"""``Deadline``: no line comes later than in the reference, so the program never keeps its caller waiting longer.

Unlike ``Timing`` it does not mind a line that comes early (other checks judge those), so its message can say
exactly one thing: something blocked past the moment the caller should have got control back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS, seconds
from coursekit.checks._calls import (
    capital,
    in_scenario,
    is_marker,
    quoted,
    scenario_before,
    scenario_map,
    scenarios_of,
)
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._standard import match_lines
from coursekit.checks._unfinished import STOPPED_FINDINGS

if TYPE_CHECKING:
    from coursekit._judge.timeline import Line, Timeline


class Deadline(Check):
    """No line comes later than in the reference: the program never keeps its caller waiting longer.

    Unlike ``Timing`` it does not mind a line that comes early (other checks judge those), so its message can
    say exactly one thing: something blocked past the moment the caller should have got control back.
    """

    shape = True  # judged under the tie schedules only (Check.shape)

    name = "deadline"
    title = "never keeps the caller waiting longer than expected"
    needs = frozenset({Needs.WORKER})

    def __init__(self, advice: str = "") -> None:
        self.advice = advice or "Wait with a timeout, and never longer than the time you were given."

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        late = [(o, e) for o, e in match_lines(observed, expected) if o.t > e.t + EPS]
        if not late and observed.lines:
            return OK
        if not observed.lines:
            return Verdict(False, "Nothing was printed, so there is no timing to check.",
                           diagnose(observed, only=STOPPED_FINDINGS))
        o, e = _first_late(observed, expected, late)
        before = scenario_before(observed, o) if is_marker(o) else None
        where = "" if is_marker(o) else in_scenario(observed, o)
        msg = capital(f"{where}{quoted(observed, o)} came at {seconds(o.t)}, {o.t - e.t:g} s later than it should "
                      f"({seconds(e.t)}): " + (f"the call of {before.named} kept the caller waiting longer than it "
                                               "should." if before is not None else
                                               "the caller was kept waiting longer than it should."))
        if len(late) > 1:
            obs_at = scenario_map(observed)
            spread = {obs_at[id(x)].number for x, _ in late if id(x) in obs_at}
            msg += (f" ({len(late)} lines came late, in {len(spread)} scenarios.)" if len(spread) > 1 else
                    f" ({len(late)} lines came late.)")
        return Verdict(False, msg, [Finding("late", "", self.advice)])


def _first_late(observed: Timeline, expected: Timeline, late: list[tuple[Line, Line]]) -> tuple[Line, Line]:
    """The line to quote: in a driver's run, the first one late within its own scenario (every line after a
    late scenario is late too; the one to name is where the time was lost); else the first late line."""
    obs_at, exp_at = scenario_map(observed), scenario_map(expected)
    begun = {s.number: s.t for s in scenarios_of(expected)}
    for o, e in late:
        so, se = obs_at.get(id(o)), exp_at.get(id(e))
        if so is None or se is None or so.number != se.number or o.t - so.t > e.t - begun[se.number] + EPS:
            return o, e
    return late[0]


__all__ = ["Deadline"]
