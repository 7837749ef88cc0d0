"""The calls in a run: of the named work (``work`` events of ``coursekit._engine.work``), and of the student's
code by a grader's driver, one scenario each (``coursekit.scenarios``).

Why a module of its own: the ``work`` check compares the work's calls with the reference's, and the evidence gate
(``coursekit.checks._evidence``) asks whether there are any; both read them the same way.  The asyncio task that
runs the entry point *is* main (``coursekit._judge.timeline`` maps its lines so), and so are its calls here.

A driver's run is many calls, one per scenario, each announced by a marker line (``scenarios.MARK``): a check
whose failure lies at one line or moment names the scenario it lies in (``in_scenario``: "In scenario 3 (items
[1, 2] and 2 workers), ..."), and says so when a line it quotes was printed by the grader's driver, not by the
student's code (``driver_line``).  Pure: reads a timeline's events and lines only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coursekit._engine import events as ev_
from coursekit._engine.events import FIBER_MAIN, is_main
from coursekit.scenarios import MARK

if TYPE_CHECKING:
    from coursekit._judge.timeline import Line, Timeline


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


# -- a driver's scenarios -----------------------------------------------------------------------------------
def driven(tl: Timeline) -> bool:
    """Whether the grader's driver ran the program (it calls the student's code), not the student's ``main()``."""
    return any(e.get("e") == ev_.PHASE and e.get("name") == "main" and e.get("driver") for e in tl.events)


@dataclass(frozen=True)
class Scenario:
    """One scenario of a driver's run, as its marker line announced it."""

    number: int
    label: str
    t: float
    """When the driver announced it (the previous scenario's call had ended then)."""
    index: int
    """The marker line's place in ``Timeline.lines``."""

    @property
    def named(self) -> str:
        """``scenario 3 (items [1, 2] and 2 workers)``."""
        return f"scenario {self.number} ({self.label})"


def scenarios_of(tl: Timeline) -> list[Scenario]:
    """The scenarios a driver announced in ``tl``, in the order of its lines (none when no driver ran)."""
    if not driven(tl):
        return []
    out = []
    for k, line in enumerate(tl.lines):
        if is_marker(line):
            m = MARK.match(line.text)
            assert m is not None  # is_marker matched it
            out.append(Scenario(int(m.group(1)), m.group(2), line.t, k))
    return out


def is_marker(line: Line) -> bool:
    """Whether ``line`` is a driver's ``scenario N: label`` line (printed by the grader, no student frame)."""
    return not line.fn and MARK.match(line.text) is not None


def driver_line(tl: Timeline, line: Line) -> bool:
    """Whether the grader's driver printed ``line`` itself (no function of the student's was printing it)."""
    return not line.fn and driven(tl)


def scenario_map(tl: Timeline) -> dict[int, Scenario]:
    """``id(line)`` -> the scenario whose part of the run each of ``tl.lines`` was printed in (the last one
    announced before it); lines before the first marker, or of a run no driver announced, are not in it."""
    found: dict[int, Scenario] = {}
    marks = iter(scenarios_of(tl))
    current, upcoming = None, next(marks, None)
    for k, line in enumerate(tl.lines):
        while upcoming is not None and upcoming.index <= k:
            current, upcoming = upcoming, next(marks, None)
        if current is not None:
            found[id(line)] = current
    return found


def scenario_of(tl: Timeline, line: Line) -> Scenario | None:
    """The scenario ``line`` (one of ``tl.lines``) was printed in, or ``None`` outside any (``scenario_map``)."""
    return scenario_map(tl).get(id(line))


def scenario_before(tl: Timeline, marker: Line) -> Scenario | None:
    """The scenario whose call ended when the driver printed ``marker`` (the one announced before it)."""
    found = scenario_of(tl, marker)
    return next((s for s in reversed(scenarios_of(tl)) if found is not None and s.index < found.index), None)


def in_scenario(tl: Timeline, line: Line | None) -> str:
    """``In scenario 3 (items [1, 2] and 2 workers), `` for a line printed inside a scenario, else ``""``."""
    found = scenario_of(tl, line) if line is not None else None
    return f"In {found.named}, " if found is not None else ""


def quoted(tl: Timeline, line: Line) -> str:
    """A line as a message quotes it: its text, and who printed it when that was the grader's driver (a
    scenario's marker line says which scenario it announces)."""
    if is_marker(line) and driven(tl):
        m = MARK.match(line.text)
        assert m is not None
        return f"the grader's marker line for scenario {m.group(1)} ({line.text!r})"
    if driver_line(tl, line):
        return f"the grader's line {line.text!r}"
    return repr(line.text)


def whole_run(tl: Timeline) -> str:
    """What a count over a driver's run is: `` (counted over the whole run: the 12 scenarios of the grader's
    driver together)``, so that a total is not read as what one call did; ``""`` when no driver ran."""
    if not driven(tl):
        return ""
    count = len(scenarios_of(tl))
    if count > 1:
        return f" (counted over the whole run: the {count} scenarios of the grader's driver together)"
    return " (counted over the whole run: every call the grader's driver made together)"


def scenario_windows(tl: Timeline) -> list[tuple[Scenario, float, float]]:
    """Each announced scenario with its part of the run's clock: from its marker line to the next one (the last
    one's to the end, ``inf``); a scenario whose call took no time has an empty part.  What was going on at once
    in a scenario is what overlaps in its part (a worker left over from an earlier one counts where it runs)."""
    marks = scenarios_of(tl)
    return [(s, s.t, marks[k + 1].t if k + 1 < len(marks) else float("inf")) for k, s in enumerate(marks)]


def event_scenarios(tl: Timeline) -> list[Scenario | None]:
    """For each of ``tl.events``, by index, the scenario whose part of the run it lies in (the last one announced
    before it), or ``None`` before the first marker and in a run no driver announced."""
    starts = {tl.lines[s.index].seq: s for s in scenarios_of(tl)}
    out: list[Scenario | None] = []
    current = None
    for k in range(len(tl.events)):
        current = starts.get(k, current)
        out.append(current)
    return out


def capital(text: str) -> str:
    """``text`` with its first letter in upper case (a sentence that starts with a quoted line stays as it is)."""
    return text[:1].upper() + text[1:]


__all__ = ["Call", "Scenario", "by_main", "capital", "driven", "driver_line", "event_scenarios", "in_scenario",
           "is_marker", "quoted", "scenario_before", "scenario_map", "scenario_of", "scenario_windows", "scenarios_of",
           "whole_run", "work_calls"]
