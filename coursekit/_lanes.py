"""A run as lanes on a time axis: the structured picture a failure is drawn from (model only, no drawing).

``summarize(observed, expected)`` turns two ``Timeline`` objects into plain JSON-able data (dicts, lists,
floats, strings), so that a result can carry its picture through ``results.json``, across processes and into
any renderer (terminal text in ``coursekit.render``, SVG in ``coursekit._html``) without the renderers ever
knowing how a trace is read.

One lane per context that ran code (main, each thread, process or task), in the order they started; on each
lane the moments it printed, when it waited for another (join), and where it crashed or was killed.  The first
divergence is where the observed lines first leave the expected ones (a swap of lines due at the same moment is
not a divergence), or, when every line matches, the moment main() returned.
"""

from __future__ import annotations

from typing import Any

from coursekit._timeline import Timeline, is_main

PICTURE_VERSION = 1
EPS = 1e-6
MAX_LINES = 500  # a picture keeps the first lines only: a program that floods its output must not flood results
# Tasks the event loop makes for itself at shutdown: they are not the student's, and would only add empty lanes.
_INTERNAL_TARGETS = ("BaseEventLoop.",)


def first_divergence(observed: Timeline, expected: Timeline) -> int | None:
    """The first row where the observed run leaves the expected one (a swap of simultaneous lines is fine)."""
    obs, exp = observed.lines, expected.lines
    i = 0
    while i < max(len(obs), len(exp)):
        if i >= len(obs) or i >= len(exp):
            return i
        t = exp[i].t
        j = i
        while j < len(exp) and abs(exp[j].t - t) <= EPS:
            j += 1
        group_exp = sorted(x.text for x in exp[i:j])
        group_obs = obs[i:j]
        if sorted(x.text for x in group_obs) != group_exp or any(abs(x.t - t) > EPS for x in group_obs):
            for k in range(i, j):
                if k >= len(obs) or abs(obs[k].t - t) > EPS or obs[k].text not in group_exp:
                    return k
            return i
        i = j
    return None


def _lane_label(tl: Timeline, cid: str) -> str:
    c = tl.ctx(cid)
    if c.kind == "main":
        return "main"
    target = c.target or "?"
    if target.endswith("Process.run") and ":" in c.id:  # a Process subclass or target-less process: use its name
        target = c.id.split(":", 1)[1]
    return f"{c.kind} {target}"


def _side(tl: Timeline) -> dict[str, Any]:
    main_id = next((x.ctx for x in tl.lines if is_main(x.ctx)), "t0" if tl.model != "processes" else "main")
    lanes: dict[str, dict[str, Any]] = {}
    end_of_run = max([tl.end_t, tl.returned_at or 0.0] + [x.t for x in tl.lines])

    def lane(cid: str) -> dict[str, Any]:
        if is_main(cid):
            cid = main_id
        if cid not in lanes:
            c = tl.ctx(cid)
            main = is_main(cid)
            lanes[cid] = {
                "id": cid, "label": _lane_label(tl, cid), "kind": "main" if main else c.kind,
                "start": 0.0 if main else c.start,
                "end": tl.returned_at if main else c.end,
                "prints": [], "waits": [], "marks": [],
            }
        return lanes[cid]

    lane(main_id)
    for c in sorted(tl.contexts.values(), key=lambda c: c.start):
        if c.kind == "main":
            continue
        printed = any(x.ctx == c.id for x in tl.lines)
        if c.target.startswith(_INTERNAL_TARGETS) and not printed:
            continue
        lane(c.id)
    lines = []
    for i, x in enumerate(tl.lines[:MAX_LINES]):
        ln = lane(x.ctx)
        ln["prints"].append({"t": x.t, "text": x.text, "i": i})
        lines.append({"t": x.t, "lane": ln["id"], "text": x.text})
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
                                       "label": _lane_label(tl, j["target"]), "done": bool(j.get("done"))})
    for crash in tl.crashes:
        if crash.get("phase") == "import":
            continue
        if crash["id"] in lanes or is_main(crash["id"]) or crash["id"] in tl.contexts:
            lane(crash["id"])["marks"].append({"t": float(crash.get("t", 0.0)), "kind": "crash",
                                               "text": f"raised {crash.get('msg') or crash.get('exc', '?')}"})
    for k in tl.kills:
        if k["target"] in lanes:
            ln = lanes[k["target"]]
            ln["marks"].append({"t": float(k["t"]), "kind": "killed", "text": f"{k['how']}() by main"})
            if ln["end"] is None or ln["end"] > k["t"]:  # a killed worker ends where it was killed
                ln["end"] = float(k["t"])
    return {"lanes": list(lanes.values()), "lines": lines, "end": end_of_run, "returned_at": tl.returned_at,
            "main": main_id, "lines_left_out": max(0, len(tl.lines) - MAX_LINES)}


def summarize(observed: Timeline, expected: Timeline) -> dict[str, Any]:
    """The picture of a failed check: observed and expected lanes, and where they first part (JSON-able)."""
    obs, exp = _side(observed), _side(expected)
    divergence: dict[str, Any] | None = None
    k = first_divergence(observed, expected)
    if k is not None:
        def at(tl: Timeline, side: dict[str, Any]) -> dict[str, Any] | None:
            if k >= len(tl.lines):
                return None
            x = tl.lines[k]
            return {"t": x.t, "lane": side["main"] if is_main(x.ctx) else x.ctx, "text": x.text}

        divergence = {"what": "line", "index": k, "observed": at(observed, obs), "expected": at(expected, exp)}
    elif (observed.returned_at is None) != (expected.returned_at is None) or (
            observed.returned_at is not None and expected.returned_at is not None
            and abs(observed.returned_at - expected.returned_at) > EPS):
        divergence = {"what": "return", "index": None,
                      "observed": None if observed.returned_at is None else
                      {"t": observed.returned_at, "lane": obs["main"], "text": "main() returned"},
                      "expected": None if expected.returned_at is None else
                      {"t": expected.returned_at, "lane": exp["main"], "text": "main() returned"}}
    return {"version": PICTURE_VERSION, "unit": "s", "observed": obs, "expected": exp, "divergence": divergence}


__all__ = ["PICTURE_VERSION", "first_divergence", "summarize"]
