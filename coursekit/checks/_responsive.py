"""``Responsive``: the event loop stays responsive: a heartbeat keeps its schedule while other work runs.

The heartbeat is whatever the reference prints on lines matching ``pattern``; each such line must come at the
reference's time.  A blocking call inside a coroutine (``time.sleep``, a thread's ``join()``, a slow library
call) stops the whole event loop, so the heartbeat comes late: the check names that.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS
from coursekit.checks._calls import capital, in_scenario
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._standard import match_lines
from coursekit.checks._unfinished import RUN_FINDINGS

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


class Responsive(Check):
    """Every line the reference prints matching ``pattern`` (the heartbeat) comes at the reference's time."""

    shape = True  # judged under the tie schedules only (Check.shape)

    name = "responsive"
    title = "the event loop stays responsive: the heartbeat keeps its schedule"
    needs = frozenset({Needs.WORKER})

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        beats = [e for e in expected.lines if self.pattern.search(e.text)]
        if not beats:
            return OK
        pairs = {id(e): o for o, e in match_lines(observed, expected)}
        late = [(pairs[id(e)], e) for e in beats if id(e) in pairs and abs(pairs[id(e)].t - e.t) > EPS]
        missing = [e for e in beats if id(e) not in pairs]
        blocking = diagnose(observed, only={"blocking-sleep"})
        fix = Finding("blocks-loop", "", "Run blocking functions in a thread with `await asyncio.to_thread(f, "
                      "*args)`; inside a coroutine, wait only with `await`.")
        if late:
            o, e = late[0]
            where = in_scenario(observed, o)
            return Verdict(False, capital(f"{where}{'t' if where else 'T'}he heartbeat {o.text!r} came at {o.t:g} s "
                                          f"instead of {e.t:g} s: something blocks the event loop, so no other task "
                                          "could run in the meantime."),
                           [*blocking, fix])
        if missing:
            where = in_scenario(expected, missing[0])
            msg = (f"{where}{'t' if where else 'T'}he heartbeat {missing[0].text!r} (due at {missing[0].t:g} s) "
                   "never came.")
            if blocking:
                return Verdict(False, msg + " A blocking call blocks the event loop, so the heartbeat could not run.",
                               [*blocking, fix, *diagnose(observed, only=RUN_FINDINGS)])
            found = RUN_FINDINGS | {"pending-task", "never-awaited"}
            return Verdict(False, msg, diagnose(observed, only=found))
        return OK

    def __repr__(self) -> str:
        return f"Responsive({self.pattern.pattern!r})"


__all__ = ["Responsive"]
