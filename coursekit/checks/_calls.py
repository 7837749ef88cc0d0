"""The calls of the named work in a run (``work`` events of ``coursekit._engine.work``), read once per timeline.

Why a module of its own: the ``work`` check compares them with the reference's, and the evidence gate
(``coursekit.checks._evidence``) asks whether there are any; both read them the same way.  The asyncio task that
runs the entry point *is* main (``coursekit._judge.timeline`` maps its lines so), and so are its calls here.
Pure: reads a timeline's events only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coursekit._engine import events as ev_
from coursekit._engine.events import FIBER_MAIN, is_main

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


@dataclass(frozen=True)
class Call:
    """One call of a function named as the work: what, with which arguments, by whom, when."""

    name: str
    """The function as the grader names it (``fetch``, ``Channel.send``)."""
    args: str
    """A short summary of its arguments (plain values by repr, other objects by type)."""
    ctx: str
    """The context that ran it (main is ``coursekit._engine.events.FIBER_MAIN`` or ``main``)."""
    t: float
    """When it began, on the run's clock."""
    d: float
    """How long it took (0 for work that only computes: CPU time is free on the virtual clock)."""
    how: str
    """``returned`` or ``raised``."""

    @property
    def unit(self) -> str:
        """``fetch('a.org')``: the call as a message names it."""
        return f"{self.name.rsplit('.', 1)[-1]}({self.args})"


def work_calls(tl: Timeline) -> list[Call]:
    """Every recorded call of the named work in ``tl``, in timeline order."""
    main_task = next((e["id"] for e in tl.events if e.get("e") == ev_.SPAWN and e.get("main")), None)
    out = []
    for e in tl.events:
        if e.get("e") != ev_.WORK:
            continue
        cid = str(e.get("id", ""))
        if cid == main_task:
            cid = FIBER_MAIN
        out.append(Call(str(e.get("name", "")), str(e.get("args", "")), cid, float(e.get("t", 0.0)),
                        float(e.get("d", 0.0)), str(e.get("how", ""))))
    return out


def by_main(tl: Timeline, call: Call) -> bool:
    """Whether ``call`` ran in main itself (the entry point, or the driver that calls it)."""
    return is_main(call.ctx) or tl.ctx(call.ctx).kind == "main"


__all__ = ["Call", "by_main", "work_calls"]
