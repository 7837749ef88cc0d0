"""What an explored schedule did, in a student's words: which thread was paused where, and who ran meanwhile.

Why a story and not just a number: "failed under schedule 5" teaches nothing.  A race is a window between two
steps of one thread in which another acted; the run's ``preempt`` events (``coursekit._engine.events``) say
where the schedule opened such windows.  The one worth telling is the last window of a thread that then went
wrong (it waited forever, or crashed); failing that, the first window of the run.  The source line comes from
the submission itself, so the student sees their own code.
"""

from __future__ import annotations

import linecache
from pathlib import Path
from typing import Any

from coursekit._engine import events as ev_
from coursekit._engine.exploration import Schedule
from coursekit._judge.timeline import Timeline


def steps_of(tl: Timeline) -> int:
    """How many preemption points the run passed (0: not an explored schedule, or cut short before the end)."""
    for ev in reversed(tl.events):
        if ev.get("e") == ev_.EXIT:
            steps = ev.get("steps", 0)
            return steps if isinstance(steps, int) and steps > 0 else 0
    return 0


def ran_under(tl: Timeline, planned: Schedule) -> Schedule:
    """The schedule a run followed, as its trace says (a PCT schedule's steps are filled in by the harness);
    ``planned`` when the trace does not say, or says another schedule's number."""
    spec = next((ev.get("spec") for ev in tl.events if ev.get("e") == ev_.SCHEDULE), None)
    try:
        said = Schedule.parse(spec) if isinstance(spec, str) else planned
    except ValueError:
        return planned
    return said if (said.number, said.kind, said.seed) == (planned.number, planned.kind, planned.seed) else planned


def preempts_of(tl: Timeline) -> list[dict[str, Any]]:
    return [ev for ev in tl.events if ev.get("e") == ev_.PREEMPT]


def _stuck_ids(tl: Timeline) -> list[str]:
    """The contexts that ended the run waiting (a deadlock, a time limit, a stall), or crashed."""
    ids: list[str] = []
    for problem in tl.problems:
        for wait in problem.get("waits") or []:
            cid = wait.get("id")
            if isinstance(cid, str) and cid not in ids:
                ids.append(cid)
    for crash in tl.crashes:
        cid = crash.get("id")
        if isinstance(cid, str) and cid not in ids:
            ids.append(cid)
    if tl.problems:  # (a process blocked in C says nothing of what it waits on: it simply never ended)
        ids += [c.id for c in tl.workers() if c.end is None and c.id not in ids]
    return ids


def _source_line(where: str, module: Path | None) -> str:
    """``worker.py:15 in worker`` -> the text of line 15 of the submission (``""`` if unknown)."""
    if module is None or ":" not in where:
        return ""
    name, _, rest = where.partition(":")
    number = rest.split(" ", 1)[0]
    if name != module.name or not number.isdigit():
        return ""
    code = linecache.getline(str(module), int(number)).strip()
    return code.split("  #", 1)[0].rstrip() if not code.startswith("#") else code


def telling_switch(tl: Timeline) -> dict[str, Any] | None:
    """The preemption worth telling: the last one of a context that then went wrong (it waited forever, or
    crashed); else the first one before a store to shared data (a lost update needs one: the thread had read, and
    another wrote before it did); else the run's first."""
    switches = preempts_of(tl)
    if not switches:
        return None
    # (a worker left waiting first: main waiting in join() for it is only the consequence)
    for cid in sorted(_stuck_ids(tl), key=ev_.is_main):
        mine = [s for s in switches if s.get("id") == cid]
        if mine:
            return mine[-1]
    return next((s for s in switches if s.get("point") == "store"), switches[0])


def story(tl: Timeline, schedule: Schedule, module: Path | None = None) -> str:
    """A sentence or two on how ``schedule`` ran the threads of ``tl``, naming the window that matters."""
    head = f"This showed under {schedule.describe(tl.model)}"
    chosen = telling_switch(tl) if schedule.preempts else None
    if chosen is None:
        return head + "."
    paused, runs = tl.ctx(str(chosen.get("id", ""))).label, tl.ctx(str(chosen.get("to", ""))).label
    if paused == runs:  # two workers of one function: "one thread worker ... another thread worker"
        paused, runs = f"one {paused}", f"another {runs}"
    where = str(chosen.get("where", ""))
    code = _source_line(where, module)
    place = f"line {where.split(':', 1)[1].split(' ', 1)[0]}" if ":" in where else "a call"
    at = f"{place} (`{code}`)" if code else place
    real = ("Real processes can go in either order there" if tl.model == "processes" else
            "Real threads can be switched there too")
    return (f"{head}: {paused} was paused just before {at} while {runs} ran. {real}: a correct program must be "
            "right whatever runs in that gap.")


def replay_hint(exercise_id: str, schedule: Schedule) -> str:
    return f"Replay this schedule: course check {exercise_id} --schedule {schedule.number}"
