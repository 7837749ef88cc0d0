"""``Deadline``: no line comes later than in the reference, so the program never keeps its caller waiting longer.

Unlike ``Timing`` it does not mind a line that comes early (other checks judge those), so its message can say
exactly one thing: something blocked past the moment the caller should have got control back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS, seconds
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._standard import match_lines
from coursekit.checks._unfinished import STOPPED_FINDINGS

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


class Deadline(Check):
    """No line comes later than in the reference: the program never keeps its caller waiting longer.

    Unlike ``Timing`` it does not mind a line that comes early (other checks judge those), so its message can
    say exactly one thing: something blocked past the moment the caller should have got control back.
    """

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
        o, e = late[0]
        msg = (f"{o.text!r} came at {seconds(o.t)}, {o.t - e.t:g} s later than it should ({seconds(e.t)}): the caller "
               "was kept waiting longer than it should.")
        if len(late) > 1:
            msg += f" ({len(late)} lines came late.)"
        return Verdict(False, msg, [Finding("late", "", self.advice)])


__all__ = ["Deadline"]
