"""A results page for a browser: every check, every failure explained, and its timeline drawn as SVG.

The SVG is drawn from the same JSON-able picture as the terminal one (``CheckResult.lanes``, made by
``coursekit._judge.picture``): one lane per thread, process or task on a shared time axis, your program above the
reference solution, the first divergence marked by a red line and rings.  Every mark carries its exact time
and text as a tooltip; the table of printed lines beside gives them in full.  The page is one self-contained
file (inline CSS, no script, no network), so it can be mailed, attached to a submission or opened offline.
"""

from __future__ import annotations

import datetime
import html
import json
from collections.abc import Sequence
from typing import Any

from coursekit._judge.messages import explanation
from coursekit._view.scale import axis_step, fmt_seconds, lane_colours, lane_times
from coursekit._view.text import divergence_text, table_rows
from coursekit.registry import Course, Exercise
from coursekit.results import ExerciseResult, Status

# Colours for lanes, in the order of rich's palette names used in the terminal (so a lane keeps its colour).
SVG_COLOURS = {"cyan": "#0891b2", "magenta": "#c026d3", "yellow": "#ca8a04", "green": "#16a34a", "blue": "#2563eb",
               "bright_red": "#dc2626", "bright_cyan": "#0e7490", "bright_magenta": "#a21caf",
               "bright_yellow": "#a16207", "bright_green": "#15803d", "bright_blue": "#1d4ed8", "red": "#b91c1c",
               "bold": "#334155"}
WIDTH = 980
LABEL_W = 200
RIGHT_PAD = 80
LANE_H = 30
TITLES = {"observed": "your program", "expected": "expected (reference solution)"}
CHAR_W = {"section": 7.6, "print": 6.0}
"""Generous widths of one character (px) of the section headings (13 px bold) and the printed-line labels
(10 px): what the layout reserves so that a label is never drawn over another or struck out by a line."""

CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1040px;
       color: #1e293b; padding: 0 1rem; background: #f8fafc; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } .when { color: #64748b; margin-top: 0; }
section.exercise { background: white; border: 1px solid #e2e8f0; border-radius: 10px; padding: 1rem 1.4rem;
                   margin: 1.5rem 0; box-shadow: 0 1px 2px #0000000d; }
section.exercise h2 { font-size: 1.2rem; margin: .2rem 0 .8rem; display: flex; gap: .8rem; align-items: baseline; }
.score { margin-left: auto; font-weight: 600; padding: .1rem .6rem; border-radius: 999px; font-size: .95rem; }
.score.solved { background: #dcfce7; color: #166534; } .score.unsolved { background: #fef3c7; color: #92400e; }
table.checks { border-collapse: collapse; width: 100%; }
table.checks td { padding: .25rem .5rem; vertical-align: top; border-top: 1px solid #f1f5f9; }
td.mark { width: 1.5rem; font-weight: 700; } tr.passed td.mark { color: #16a34a; } tr.failed td.mark { color: #dc2626; }
td.name { font-family: ui-monospace, monospace; white-space: nowrap; }
td.points { white-space: nowrap; text-align: right; }
td.title { color: #475569; }
pre.message { white-space: pre-wrap; background: #fff7ed; border-left: 3px solid #f97316; padding: .5rem .8rem;
              margin: .3rem 0 .6rem; font: 13.5px/1.45 ui-monospace, monospace; }
figure.timeline { margin: 1rem 0; } figure.timeline figcaption { font-weight: 600; margin-bottom: .4rem; }
div.scroll { overflow-x: auto; max-width: 100%; }
svg.lanes { width: 100%; min-width: 900px; height: auto; background: white; border: 1px solid #e2e8f0;
            border-radius: 8px; }
p.divergence { color: #b91c1c; font-weight: 600; margin: .4rem 0; }
table.lines { border-collapse: collapse; font: 13px/1.4 ui-monospace, monospace; margin-top: .4rem; }
table.lines th { text-align: left; color: #64748b; font-weight: 600; padding: .1rem .6rem; }
table.lines td { padding: .1rem .6rem; white-space: nowrap; } table.lines td.t { text-align: right; color: #64748b; }
table.lines td.sep { border-left: 2px solid #e2e8f0; padding: 0; }
table.lines tr.diverge td.text.observed { background: #fee2e2; color: #991b1b; font-weight: 700; }
table.lines tr.diverge td.text.expected { background: #dcfce7; color: #166534; font-weight: 700; }
div.same { color: #64748b; font-style: italic; }
.summary td, .summary th { padding: .2rem .8rem; text-align: left; } .summary { border-collapse: collapse; }
@media (max-width: 820px) { body { margin: 1rem auto; padding: 0 .5rem; }
  section.exercise { padding: .8rem; } section.exercise h2 { flex-wrap: wrap; } }
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def timeline_svg(picture: dict[str, Any]) -> str:
    """The two runs as lanes on one time axis, as an inline SVG element."""
    colours = {k: SVG_COLOURS.get(v, "#334155") for k, v in lane_colours(picture).items()}
    span = max(lane_times(picture)) or 1.0
    x0, x1 = LABEL_W, WIDTH - RIGHT_PAD

    def x(t: float) -> float:
        return round(x0 + (x1 - x0) * t / span, 2)

    n_obs, n_exp = len(picture["observed"]["lanes"]), len(picture["expected"]["lanes"])
    top = 34
    sec_gap = 34
    y_obs = top + sec_gap
    y_exp = y_obs + n_obs * LANE_H + sec_gap
    height = y_exp + n_exp * LANE_H + 18
    out = [f'<svg class="lanes" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
           f'width="{WIDTH}" height="{height}" role="img" aria-label="timeline: your program against the expected run"'
           f' font-family="system-ui, sans-serif" font-size="12">']
    step = axis_step(span, x1 - x0)
    k = 0
    while k * step <= span + 1e-9:
        t = k * step
        out.append(f'<line class="grid" x1="{x(t)}" y1="{top - 6}" x2="{x(t)}" y2="{height - 10}" stroke="#e2e8f0"/>')
        out.append(f'<text class="tick" x="{x(t)}" y="{top - 12}" text-anchor="middle" fill="#64748b">'
                   f'{_esc(fmt_seconds(round(t, 9)))}</text>')
        k += 1
    div = picture.get("divergence") or {}
    for side, y_start in (("observed", y_obs), ("expected", y_exp)):
        data = picture[side]
        if not data["lanes"]:  # a picture of one run (``course trace``): no second side to head
            continue
        out.append(f'<text class="section" x="8" y="{y_start - 12}" font-weight="700" font-size="13" '
                   f'fill="#0f172a">{_esc(TITLES[side])}</text>')
        mark = div.get(side)
        moment = div["t"] if div.get("what") == "line" else mark["t"] if mark is not None else None
        xm = x(moment) if moment is not None else None
        if moment is not None and xm is not None:  # a line divergence is one moment, marked on both runs; drawn
            colour = "#dc2626" if side == "observed" else "#16a34a"  # first, so that the lanes lie on top of it
            out.append(f'<line class="divergence" data-side="{side}" x1="{xm}" y1="{y_start - 8}" x2="{xm}" '
                       f'y2="{y_start + max(1, len(data["lanes"])) * LANE_H}" stroke="{colour}" stroke-width="2" '
                       f'stroke-dasharray="6 3"><title>first difference at {_esc(fmt_seconds(moment))}</title></line>')
            words = f"first difference, {fmt_seconds(moment)}"
            heading_end = 8 + len(TITLES[side]) * CHAR_W["section"] + 12  # the label never sits on the heading
            anchor = "end" if xm > x1 - 140 else "start"
            lx = xm - 6 if anchor == "end" else max(xm + 6, heading_end)
            out.append(f'<text class="divergence-label" x="{round(lx, 2)}" y="{y_start - 10}" text-anchor="{anchor}" '
                       f'fill="{colour}" font-weight="700" font-size="11">{_esc(words)}</text>')
        hit_index = mark["i"] if div.get("what") == "line" and mark is not None else None
        for row, ln in enumerate(data["lanes"]):
            y = y_start + row * LANE_H + LANE_H / 2
            colour = colours.get(ln["label"], "#334155")
            out.append(f'<g class="lane" data-lane="{_esc(ln["label"])}" data-side="{side}">')
            out.append(f'<circle cx="16" cy="{y}" r="5" fill="{colour}"/>')
            out.append(f'<text class="label" x="28" y="{y + 4}" fill="#0f172a">{_esc(ln["label"])}</text>')
            end = ln["end"] if ln["end"] is not None else data["end"]
            xa, xb = x(ln["start"]), max(x(end), x(ln["start"]) + 2)
            out.append(f'<rect class="span" x="{xa}" y="{y - 6}" width="{round(xb - xa, 2)}" height="12" rx="6" '
                       f'fill="{colour}" fill-opacity="0.18" stroke="{colour}" stroke-width="1.2">'
                       f'<title>{_esc(ln["label"])}: {_esc(fmt_seconds(ln["start"]))} to '
                       f'{_esc(fmt_seconds(end)) if ln["end"] is not None else "never ended"}</title></rect>')
            if ln["end"] is None:
                out.append(f'<path d="M{xb} {y - 6} l 8 6 l -8 6 z" fill="{colour}"><title>never ended</title></path>')
            for w in ln["waits"]:
                out.append(f'<line class="wait" x1="{x(w["t0"])}" y1="{y}" x2="{x(w["t1"])}" y2="{y}" '
                           f'stroke="{colour}" stroke-width="2" stroke-dasharray="3 3"><title>waiting '
                           f'{_esc(w.get("what") or "in join() for " + w["label"])}, {_esc(fmt_seconds(w["t0"]))} to '
                           f'{_esc(fmt_seconds(w["t1"]))}</title></line>')
            last_label_end = -1e9
            for p in ln["prints"]:
                px = x(p["t"])
                hit = hit_index is not None and p["i"] == hit_index
                ring = "#dc2626" if side == "observed" else "#16a34a"
                if hit:
                    out.append(f'<circle class="divergence-ring" cx="{px}" cy="{y}" r="10" fill="none" '
                               f'stroke="{ring}" stroke-width="2.5"/>')
                out.append(f'<circle class="print" cx="{px}" cy="{y}" r="5" fill="{colour}" stroke="white" '
                           f'stroke-width="1.5"><title>{_esc(fmt_seconds(p["t"]))}: {_esc(p["text"])}</title></circle>')
                label = p["text"] if len(p["text"]) <= 18 else p["text"][:17] + "…"
                label_end = px + 7 + len(label) * CHAR_W["print"]
                crosses = xm is not None and px + 4 < xm < label_end + 2  # the dashed line would strike it out
                if px - 3 > last_label_end and not crosses:
                    out.append(f'<text class="print-label" x="{px + 7}" y="{y - 9}" font-size="10" '
                               f'fill="{"#b91c1c" if hit and side == "observed" else "#475569"}">{_esc(label)}</text>')
                    last_label_end = label_end
            for m in ln["marks"]:
                paused = m.get("kind") == "paused"
                out.append(f'<text class="{"paused" if paused else "crash"}" x="{x(m["t"])}" y="{y + 5}" '
                           f'text-anchor="middle" font-size="15" font-weight="700" '
                           f'fill="{"#a21caf" if paused else "#dc2626"}">{"◆" if paused else "✗"}'
                           f'<title>{_esc(fmt_seconds(m["t"]))}: {_esc(m["text"])}</title></text>')
            if div.get("what") == "return" and mark is not None and mark.get("lane") == ln["id"]:
                out.append(f'<circle class="divergence-ring" cx="{x(mark["t"])}" cy="{y}" r="10" fill="none" '
                           f'stroke="{"#dc2626" if side == "observed" else "#16a34a"}" stroke-width="2.5"/>')
            out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def lines_table_html(picture: dict[str, Any]) -> str:
    obs, exp = picture["observed"]["lines"], picture["expected"]["lines"]
    names = {side: {ln["id"]: ln["label"] for ln in picture[side]["lanes"]} for side in ("observed", "expected")}
    div = picture.get("divergence") or {}
    mark = div.get("row", div.get("index")) if div.get("what") == "line" else None
    out = ['<table class="lines"><thead><tr><th>t</th><th>your program</th><th>printed</th><th class="sep"></th>'
           '<th>t</th><th>expected</th><th>printed</th></tr></thead><tbody>']
    for i, pair in enumerate(table_rows(picture)):
        cells = []
        for side, rows, index in (("observed", obs, pair[0]), ("expected", exp, pair[1])):
            if side == "expected":
                cells.append('<td class="sep"></td>')
            if index is not None:
                r = rows[index]
                cells.append(f'<td class="t">{_esc(fmt_seconds(r["t"]))}</td><td class="lane">'
                             f'{_esc(names[side].get(r["lane"], r["lane"]))}</td>'
                             f'<td class="text {side}">{_esc(r["text"])}</td>')
            else:
                cells.append('<td class="t"></td><td></td><td class="text"></td>')
        out.append(f'<tr{" class=diverge" if i == mark else ""}>{"".join(cells)}</tr>')
    out.append("</tbody></table>")
    return "\n".join(out)


def page(course: Course, graded: Sequence[tuple[Exercise, ExerciseResult]]) -> str:
    """The whole page: a summary, then one section per exercise with its checks and timelines."""
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_esc(course.title or course.id)}: check results</title><style>{CSS}</style></head><body>",
             f"<h1>{_esc(course.title or course.id)}</h1><p class=when>Checked {_esc(when)}. Times are virtual "
             "seconds since main() started.</p>"]
    parts.append('<table class="summary"><tr><th>exercise</th><th>points</th><th>status</th></tr>')
    for ex, res in graded:
        parts.append(f'<tr><td><a href="#{_esc(ex.id)}">{_esc(ex.id)}</a></td><td>{res.score:g}/{res.max_score:g}</td>'
                     f'<td>{"solved" if res.passed else "not yet"}</td></tr>')
    parts.append("</table>")
    for ex, res in graded:
        parts.append(f'<section class="exercise" id="{_esc(ex.id)}"><h2><span>{_esc(ex.id)}</span>'
                     f'<span class="title">{_esc(ex.title)}</span><span class="score '
                     f'{"solved" if res.passed else "unsolved"}">{res.score:g}/{res.max_score:g}</span></h2>')
        parts.append('<table class="checks">')
        groups: dict[str, tuple[list[str], dict[str, Any]]] = {}
        said: dict[str, str] = {}
        for c in res.checks:
            passed = c.status is Status.PASSED
            parts.append(f'<tr class="{"passed" if passed else "failed"}"><td class="mark">{"✓" if passed else "✗"}'
                         f'</td><td class="name">{_esc(c.name)}</td><td class="points">{c.points:g}/{c.max_points:g}'
                         f'</td><td class="title">{_esc(c.title)}')
            if not passed:
                words = explanation(c)
                if words in said:
                    parts.append(f'<div class="same">(the same as {_esc(said[words])})</div>')
                else:
                    said[words] = c.name
                    parts.append(f'<pre class="message">{_esc(words)}</pre>')
                if c.lanes:
                    groups.setdefault(json.dumps(c.lanes, sort_keys=True), ([], c.lanes))[0].append(c.name)
            parts.append("</td></tr>")
        parts.append("</table>")
        for names, lanes in groups.values():
            caption = divergence_text(lanes)
            parts.append(f'<figure class="timeline" data-checks="{_esc(",".join(names))}"><figcaption>Timeline, for '
                         f'{_esc(", ".join(names))}</figcaption>')
            parts.append(f'<div class="scroll">{timeline_svg(lanes)}</div>')
            if caption:
                parts.append(f'<p class="divergence">{_esc(caption[0].upper() + caption[1:])}</p>')
            parts.append(f'<div class="scroll">{lines_table_html(lanes)}</div>')
            parts.append("</figure>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


__all__ = ["lines_table_html", "page", "timeline_svg"]
