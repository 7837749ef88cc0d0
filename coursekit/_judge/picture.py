"""A run as lanes on a time axis: the structured picture a failure is drawn from (model only, no drawing).

``summarize(observed, expected)`` turns two ``Timeline`` objects into plain JSON-able data (dicts, lists,
floats, strings), so that a result can carry its picture through ``results.json``, across processes and into
any renderer (terminal text in ``coursekit._view.text``, SVG in ``coursekit._view.html``) without the renderers ever
knowing how a trace is read.

One lane per context that ran code (main, each thread, process or task), in the order they started; on each
lane the moments it printed, when it waited for another (join), and where it crashed or was killed.  The first
divergence is the first moment where the two runs printed different lines (each moment compared as a multiset:
a swap of lines due at the same moment is not a divergence), or, when every line matches, the moment main()
returned.
"""

from __future__ import annotations

import bisect
import itertools
from collections import deque
from typing import Any

from coursekit._engine import events
from coursekit._judge.exploring import telling_switch
from coursekit._judge.moments import EPS
from coursekit._judge.timeline import Timeline, is_main

PICTURE_VERSION = 2  # 2: rows (lines paired per moment), a line divergence names its moment
DRIVER_LABEL = "grader's driver"
"""The main lane of a run the grader drove (``Grader.driver``): the grader's code, which calls the student's; a
line it printed itself carries ``"grader": True``."""
MAX_LINES = 500  # a picture keeps the first lines only: a program that floods its output must not flood results
# Tasks the event loop makes for itself at shutdown: they are not the student's, and would only add empty lanes.
_INTERNAL_TARGETS = ("BaseEventLoop.",)


def _moments(observed: Timeline, expected: Timeline) -> dict[float, float]:
    """Each time printed on either side -> its moment (times within EPS of each other are one moment)."""
    out: dict[float, float] = {}
    prev: float | None = None  # the moment of the previous (smaller) time
    for t in sorted({x.t for x in observed.lines} | {x.t for x in expected.lines}):
        prev = out[t] = prev if prev is not None and t - prev <= EPS else t
    return out


def align(observed: Timeline, expected: Timeline) -> list[tuple[int | None, int | None]]:
    """Rows of (observed index, expected index): lines printed at one moment paired by text, moment by moment.

    Lines due at the same moment may come in either order, so a moment is compared as a multiset: a pair is the
    k-th observed occurrence of a text at that moment with its k-th expected occurrence there.  Rows follow the
    expected order; an observed line with no partner (``(j, None)``: extra) sits after the observed line it came
    after, an expected line with no partner (``(None, k)``: missing) where the reference printed it.
    """
    moment = _moments(observed, expected)
    by_moment: dict[float, tuple[list[int], list[int]]] = {}
    for j, x in enumerate(observed.lines):
        by_moment.setdefault(moment[x.t], ([], []))[0].append(j)
    for k, x in enumerate(expected.lines):
        by_moment.setdefault(moment[x.t], ([], []))[1].append(k)
    rows: list[tuple[int | None, int | None]] = []
    for m in sorted(by_moment):
        obs, exp = by_moment[m]
        free: dict[str, deque[int]] = {}
        for j in obs:
            free.setdefault(observed.lines[j].text, deque()).append(j)
        here: list[tuple[int | None, int | None]] = []
        for k in exp:
            partners = free.get(expected.lines[k].text)
            here.append((partners.popleft() if partners else None, k))
        paired = {j for j, _ in here if j is not None}
        rows += _place_extras(here, [j for j in obs if j not in paired])
    return rows


def _place_extras(here: list[tuple[int | None, int | None]], extras: list[int]) -> list[tuple[int | None, int | None]]:
    """``here`` with each extra observed line ``(j, None)`` just after the last row holding an observed line
    printed before it (first of all if none), extras in the order printed.  In O(n log n): a flood prints
    thousands of lines at one moment, and inserting them one by one would take minutes."""
    if not extras:
        return here
    held = sorted((o, r) for r, (o, _) in enumerate(here) if o is not None)
    keys = [o for o, _ in held]
    after = list(itertools.accumulate((r + 1 for _, r in held), max))  # slot after the last row holding < key
    slots: dict[int, list[tuple[int | None, int | None]]] = {}
    for j in extras:
        n = bisect.bisect_left(keys, j)
        slots.setdefault(after[n - 1] if n else 0, []).append((j, None))
    placed = list(slots.get(0, []))
    for r, row in enumerate(here, start=1):
        placed.append(row)
        placed += slots.get(r, [])
    return placed


def first_divergence(observed: Timeline, expected: Timeline) -> int | None:
    """The first row of ``align(observed, expected)`` where one run printed a line the other did not then.

    Moments are compared in time order, each as a multiset of lines, so a swap of lines due at the same moment
    is not a divergence, and the row found always names a line that really is missing or extra at its moment.
    """
    return _first_gap(align(observed, expected))


def _first_gap(rows: list[tuple[int | None, int | None]]) -> int | None:
    return next((r for r, (j, k) in enumerate(rows) if j is None or k is None), None)


def _spawn_names(tl: Timeline) -> dict[str, str]:
    """Each context's name as its first spawn event gives it (one pass: looking it up per lane was quadratic)."""
    names: dict[str, str] = {}
    for ev in tl.events:
        if ev.get("e") == "spawn":
            names.setdefault(str(ev.get("id")), str(ev.get("name") or ""))
    return names


def _lane_label(tl: Timeline, cid: str, names: dict[str, str] | None = None) -> str:
    c = tl.ctx(cid)
    if c.kind == "main":
        return "main"
    if not c.target:  # started with no function (`target=f()`): its own name, and why it has no function
        name = (names if names is not None else _spawn_names(tl)).get(cid, "")
        return f"{c.kind} {name or cid} (no target)"
    target = c.target
    if target.endswith("Process.run") and ":" in c.id:  # a Process subclass or target-less process: use its name
        target = c.id.split(":", 1)[1]
    return f"{c.kind} {target}"


_NOT_WAITING = ("", "running", "runnable", "sleep", "event loop")  # states of a fiber that is not blocked


class _LastSeen:
    """When each context was last seen doing something (a line, the end of a sleep, a join, starting a worker): a
    context blocked at the end of a run has waited since then (the trace has no event for a wait that never
    returned).  Indexed in one pass over the run: scanning every event for every blocked context was quadratic
    (a forged 1 MB trace with thousands of waits cost minutes)."""

    def __init__(self, tl: Timeline) -> None:
        self.by_id: dict[str, float] = {}
        for ev in tl.events:
            kind = ev.get("e")
            if kind in ("line", "sleep", "join", "cancel", "kill"):
                t = float(ev.get("t", 0.0)) + (float(ev.get("d", 0.0)) if kind == "sleep" else 0.0)
                cid = str(ev.get("id"))
                self.by_id[cid] = max(t, self.by_id.get(cid, t))
        self.child_start: dict[str, float] = {}  # latest start of a context each context started
        self.main_child_start: float | None = None  # latest start of a context started by main
        for c in tl.contexts.values():
            self.child_start[c.parent] = max(c.start, self.child_start.get(c.parent, c.start))
            if is_main(c.parent):
                self.main_child_start = max(c.start, self.main_child_start or c.start)

    def __call__(self, cid: str, start: float) -> float:
        seen = [start, self.by_id.get(cid, start), self.child_start.get(cid, start)]
        if is_main(cid) and self.main_child_start is not None:
            seen.append(self.main_child_start)
        return max(seen)


def _side(tl: Timeline) -> dict[str, Any]:
    main_id = next((x.ctx for x in tl.lines if is_main(x.ctx)),
                   events.FIBER_MAIN if tl.model != "processes" else events.MAIN)
    lanes: dict[str, dict[str, Any]] = {}
    names = _spawn_names(tl)
    end_of_run = max([tl.end_t, tl.returned_at or 0.0] + [x.t for x in tl.lines])

    def lane(cid: str) -> dict[str, Any]:
        if is_main(cid):
            cid = main_id
        if cid not in lanes:
            c = tl.ctx(cid)
            main = is_main(cid)
            lanes[cid] = {
                "id": cid, "label": _lane_label(tl, cid, names), "kind": "main" if main else c.kind,
                "no_target": not main and not c.target,
                "start": 0.0 if main else c.start,
                "end": tl.returned_at if main else c.end,
                "prints": [], "waits": [], "marks": [],
            }
        return lanes[cid]

    lane(main_id)
    printers = {x.ctx for x in tl.lines}  # once: asking per context was quadratic
    for c in sorted(tl.contexts.values(), key=lambda c: c.start):
        if c.kind == "main":
            continue
        printed = c.id in printers
        if c.target.startswith(_INTERNAL_TARGETS) and not printed:
            continue
        lane(c.id)
    driven = driven_by_grader(tl)
    if driven:  # the grader's driver runs as main and calls the student's code: its lane is not the student's
        lanes[main_id]["label"] = DRIVER_LABEL
    lines = []
    for i, x in enumerate(tl.lines[:MAX_LINES]):
        ln = lane(x.ctx)
        ln["prints"].append({"t": x.t, "text": x.text, "i": i})
        lines.append({"t": x.t, "lane": ln["id"], "text": x.text,
                      **({"grader": True} if driven and is_main(x.ctx) and not x.fn else {})})
    for j in tl.joins:
        if j.get("phase", "main") != "main":  # the interpreter joining leftovers at exit is not main() waiting
            continue
        who = j.get("id", main_id)
        start, stop = float(j.get("t0", j["t"])), float(j["t"])
        target_end = tl.ctx(j["target"]).end
        if j.get("done") and target_end is not None:
            stop = max(stop, target_end)
        if stop > start + EPS and (who in lanes or is_main(who)):
            lane(who)["waits"].append({"t0": start, "t1": stop, "on": j["target"],
                                       "label": _lane_label(tl, j["target"], names), "done": bool(j.get("done")),
                                       "what": f"in join() for {_lane_label(tl, j['target'], names)}"})
    last_seen = _LastSeen(tl) if any(p.get("waits") for p in tl.problems) else None
    for p in tl.problems:  # a run stopped (deadlock, hang, time limit) while these waited: they wait to the end
        for w in p.get("waits") or []:
            cid = main_id if is_main(w.get("id", "")) else w.get("id", "")
            if w.get("on") in _NOT_WAITING or not (cid in lanes or cid in tl.contexts):
                continue
            stop = float(p.get("t", end_of_run))
            assert last_seen is not None  # built when a problem lists waits
            start = min(stop, last_seen(cid, lane(cid)["start"]))
            if stop >= start:  # blocked at the very moment the run stopped: still drawn (one column)
                what = f"at `{w['code']}`" if w.get("code") else f"in {w.get('on')}"
                lane(cid)["waits"].append({"t0": start, "t1": stop, "on": w.get("on", ""), "label": what,
                                           "done": False, "what": what, "blocked": True})
    for crash in tl.crashes:
        if crash.get("phase") == "import":
            continue
        if crash["id"] in lanes or is_main(crash["id"]) or crash["id"] in tl.contexts:
            lane(crash["id"])["marks"].append({"t": float(crash.get("t", 0.0)), "kind": "crash",
                                               "text": f"raised {crash.get('msg') or crash.get('exc', '?')}"})
    switch = telling_switch(tl)  # an explored schedule: the thread switch its failure story tells
    if switch is not None and (switch.get("id") in lanes or is_main(str(switch.get("id", "")))):
        runs = _lane_label(tl, str(switch.get("to", "")), names)
        lane(str(switch["id"]))["marks"].append({"t": float(switch.get("t", 0.0)), "kind": "paused",
                                                  "text": f"paused at {switch.get('where', '?')} while {runs} ran"})
    for k in tl.kills:
        if k["target"] in lanes:
            ln = lanes[k["target"]]
            ln["marks"].append({"t": float(k["t"]), "kind": "killed", "text": f"{k['how']}() by main"})
            if ln["end"] is None or ln["end"] > k["t"]:  # a killed worker ends where it was killed
                ln["end"] = float(k["t"])
    return {"lanes": list(lanes.values()), "lines": lines, "end": end_of_run, "returned_at": tl.returned_at,
            "main": main_id, "lines_left_out": max(0, len(tl.lines) - MAX_LINES)}


def _elsewhere(lines: list[Any], text: str, t: float, partner_of: dict[int, int | None]) -> float | None:
    """When a line of ``text`` was printed at another moment with no partner there (None: never)."""
    for i, x in enumerate(lines):
        if x.text == text and abs(x.t - t) > EPS and partner_of.get(i) is None:
            return float(x.t)
    return None


def summarize(observed: Timeline, expected: Timeline) -> dict[str, Any]:
    """The picture of a failed check: observed and expected lanes, and where they first part (JSON-able).

    ``rows`` pairs the two runs' lines for a side-by-side list (see ``align``).  A line divergence names the
    first moment ``t`` where the runs printed different lines, the first line your program printed there that
    was not expected then (``observed``, or None) and the first expected line it did not print then
    (``expected``, or None); ``row`` is the row of ``rows`` to mark, ``extra`` and ``missing`` how many lines
    differ at that moment.
    """
    obs, exp = _side(observed), _side(expected)
    divergence: dict[str, Any] | None = None
    rows = align(observed, expected)
    r0 = _first_gap(rows)
    if r0 is not None:
        ob_partner = {j: k for j, k in rows if j is not None}
        ex_partner = {k: j for j, k in rows if k is not None}
        first = rows[r0]
        t = observed.lines[first[0]].t if first[0] is not None else expected.lines[first[1]].t  # type: ignore[index]
        at_t = [(j, k) for j, k in rows[r0:] if (j is None) != (k is None)
                and abs((observed.lines[j] if j is not None else expected.lines[k]).t - t) <= EPS]  # type: ignore[index]
        extra = [j for j, k in at_t if j is not None]
        missing = [k for j, k in at_t if k is not None]

        def mark(tl: Timeline, side: dict[str, Any], i: int, other: Timeline, partner: dict[int, int | None]
                 ) -> dict[str, Any]:
            x = tl.lines[i]
            return {"t": x.t, "lane": side["main"] if is_main(x.ctx) else x.ctx, "text": x.text, "i": i,
                    "other_t": _elsewhere(other.lines, x.text, x.t, partner),
                    "here_in_other": sum(1 for y in other.lines if y.text == x.text and abs(y.t - x.t) <= EPS)}

        divergence = {"what": "line", "t": t, "row": r0, "index": r0, "extra": len(extra), "missing": len(missing),
                      "observed": mark(observed, obs, extra[0], expected, ex_partner) if extra else None,
                      "expected": mark(expected, exp, missing[0], observed, ob_partner) if missing else None}
    elif (observed.returned_at is None) != (expected.returned_at is None) or (
            observed.returned_at is not None and expected.returned_at is not None
            and abs(observed.returned_at - expected.returned_at) > EPS):
        divergence = {"what": "return", "index": None,
                      "observed": None if observed.returned_at is None else
                      {"t": observed.returned_at, "lane": obs["main"], "text": "main() returned"},
                      "expected": None if expected.returned_at is None else
                      {"t": expected.returned_at, "lane": exp["main"], "text": "main() returned"}}
    kept: list[list[int | None]] = []
    for r, (j, k) in enumerate(rows):  # the picture keeps the first lines only (MAX_LINES)
        row = [j if j is not None and j < MAX_LINES else None, k if k is not None and k < MAX_LINES else None]
        if divergence is not None and divergence.get("row") == r:
            divergence["row"] = divergence["index"] = len(kept)
        if row != [None, None]:
            kept.append(row)
    return {"version": PICTURE_VERSION, "unit": "s", "observed": obs, "expected": exp, "divergence": divergence,
            "rows": kept}


def driven_by_grader(tl: Timeline) -> bool:
    """Whether the run's main was the grader's driver (calling the student's code), not the student's main()."""
    return any(ev.get("e") == "phase" and ev.get("name") == "main" and ev.get("driver") for ev in tl.events)


def _drawn(side: dict[str, Any]) -> Any:
    """What a picture draws of one run: its lanes and their marks, and its lines (not the contexts' ids)."""
    lanes = [{k: v for k, v in ln.items() if k != "id"} for ln in side["lanes"]]
    return lanes, [(x["t"], x["text"]) for x in side["lines"]], side["end"]


def worth_drawing(picture: dict[str, Any]) -> bool:
    """Whether a picture explains anything.  Not when everything happens at 0 s (work that never waits, such as
    counting: one column of marks, which says less than the words beside it), nor when the two runs look the
    same (the mistake is in a value the pictures do not show, such as a returned list in the wrong order)."""
    if picture.get("divergence") is None and _drawn(picture["observed"]) == _drawn(picture["expected"]):
        return False
    times = [0.0]
    for side in ("observed", "expected"):
        data = picture[side]
        times += [data["end"], *(x["t"] for x in data["lines"])]
        times += [t for ln in data["lanes"] for t in (ln["start"], ln["end"]) if t is not None]
    return max(times) > EPS


__all__ = ["DRIVER_LABEL", "PICTURE_VERSION", "align", "driven_by_grader", "first_divergence", "summarize",
           "worth_drawing"]
