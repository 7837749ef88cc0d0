"""``report.html``: the class at a glance, for an instructor's browser (one self-contained file, no scripts).

Score distribution as an SVG histogram drawn here; per exercise and per check how many failed, most common
first, with the most frequent first lines of failure messages (the mistakes); runs cut short, tampering and
grader errors; how the runs were isolated; and every student with links to their feedback.  Every piece of
text that came from a submission (ids, messages) is escaped.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import coursekit
from coursekit._bulk.grade_class import ClassResult, StudentResult
from coursekit._bulk.gradebook import INSTRUCTOR_FEEDBACK, has_withheld_checks, points, student_dir
from coursekit.results import Status

if TYPE_CHECKING:
    from coursekit._bulk.lms import RosterMatch

E = html.escape
# Why so: a class's tables are wide (one column per exercise) and are read on laptops and phones.  Each table
# sits in its own scrolling box, so the page itself never scrolls sideways; columns are headed by the
# exercise's number (its id is in the exercises table and in the header's tooltip); numbers never wrap; text
# that came from students (ids, notes) may break anywhere rather than widen the table.
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; padding: 0 1em; color: #222; max-width: 1200px; }
.scroll { overflow-x: auto; max-width: 100%; margin: 0.5em 0 1.5em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.who { overflow-wrap: anywhere; min-width: 5em; max-width: 11em; }
td.notes { overflow-wrap: anywhere; min-width: 8em; max-width: 16em; font-size: 0.9em; }
td.links { white-space: nowrap; }
table.students { font-size: 0.9em; } table.students td, table.students th { padding: 0.2em 0.35em; }
.bar { display: inline-block; height: 0.8em; background: #d9534f; }
.muted { color: #777; } code { background: #f4f4f4; padding: 0 0.2em; overflow-wrap: anywhere; }
svg.histogram { max-width: 100%; height: auto; }
@media (max-width: 600px) { body { padding: 0 0.5em; } th, td { padding: 0.2em 0.3em; } }
"""


def _scroll(table: list[str]) -> list[str]:
    """A table in a box of its own that scrolls sideways when the window is narrower than the table."""
    return ['<div class="scroll">', *table, "</div>"]


def shorten(text: str, limit: int = 300) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # a word boundary not too far back; else (one very long word) cut inside it
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "\u2026"


def score_bins(max_total: float, most: int = 10) -> list[tuple[int, int]]:
    """Whole-number score bands ``(lo, hi)`` covering 0..max_total, at most ``most`` + 1 of them, each as wide.

    A total falls in the band with ``lo <= floor(total) <= hi``; the widths are whole points, so no band reads
    "1.3-2.6"."""
    top = max(0, math.floor(max_total))
    width = max(1, math.ceil((top + 1) / (most + 1)))
    return [(lo, min(top, lo + width - 1)) for lo in range(0, top + 1, width)]


def histogram_svg(totals: list[float], max_total: float, bins: int = 10) -> str:
    """Counts of students per whole-number score band, as an SVG bar chart with labelled axes (it scales down
    to the window's width; labels are thinned so that they never touch)."""
    width, height, left, bottom, top = 640, 260, 40, 40, 20
    bands = score_bins(max_total, bins)
    counts = [0] * len(bands)
    band_width = bands[0][1] - bands[0][0] + 1
    for t in totals:
        counts[min(len(bands) - 1, max(0, math.floor(t) // band_width))] += 1
    peak = max([*counts, 1])
    bw = (width - left - 10) / len(bands)
    label = [f"{lo}" if lo == hi else f"{lo}\u2013{hi}" for lo, hi in bands]
    every = max(1, math.ceil(max(len(x) for x in label) * 6.5 / (bw - 4)))  # ~6.5 px per character at 10 px
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="histogram" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="score distribution">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#333"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#333"/>']
    for k in range(0, peak + 1, max(1, math.ceil(peak / 5))):
        y = height - bottom - k / peak * (height - bottom - top)
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{k}</text>')
    for i, (c, (lo, hi)) in enumerate(zip(counts, bands, strict=True)):
        h = c / peak * (height - bottom - top)
        x = left + i * bw
        span = f"{lo} point(s)" if lo == hi else f"{lo} to {hi} points"
        parts.append(f'<rect x="{x + 2:.1f}" y="{height - bottom - h:.1f}" width="{bw - 4:.1f}" height="{h:.1f}" '
                     f'fill="#4a7ebb"><title>{c} student(s) with {span} (fractions rounded down)</title></rect>')
        if c:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{height - bottom - h - 4:.1f}" font-size="11" '
                         f'text-anchor="middle">{c}</text>')
        if i % every == 0:
            parts.append(f'<text class="band" x="{x + bw / 2:.1f}" y="{height - bottom + 14}" font-size="10" '
                         f'text-anchor="middle">{label[i]}</text>')
    parts.append(f'<text x="{(width + left) / 2}" y="{height - 6}" font-size="12" text-anchor="middle">'
                 f'total points (out of {max_total:g})</text>')
    parts.append('</svg>')
    return "\n".join(parts)


def write_report(result: ClassResult, path: Path, roster: RosterMatch | None = None) -> None:
    path.write_text(render(result, roster), encoding="utf-8")


def render(result: ClassResult, roster: RosterMatch | None = None) -> str:
    students = sorted(result.students, key=lambda s: s.student)
    totals = [s.total for s in students]
    out = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Class report: {E(result.course.title or result.course.id)}</title>",
           f"<style>{STYLE}</style></head><body>",
           f"<h1>Class report: {E(result.course.title or result.course.id)}</h1>",
           f'<p class="muted">{len(students)} student(s), {len(result.exercises)} exercise(s), '
           f"{points(result.max_total)} points in all. {result.handed_in} file(s) handed in, {result.distinct} "
           f"distinct (identical files are graded once): graded {result.graded}, reused {result.reused} unchanged "
           f"verdict(s) from the cache. coursekit {E(coursekit.__version__)}.</p>"]
    if totals:
        mean = sum(totals) / len(totals)
        median = sorted(totals)[len(totals) // 2]
        out.append(f"<h2>Score distribution</h2><p>mean {mean:.2f}, median {median:g}, "
                   f"full marks: {sum(1 for t in totals if t == result.max_total)}</p>")
        out.append(histogram_svg(totals, result.max_total))
    out += _exercises(result, students)
    out += _mistakes(result, students)
    out += _protections(result)
    out += _students(result, students)
    out += _roster(roster) if roster is not None else []
    if result.notes:
        out.append("<h2>Entries that name no student</h2><ul>")
        out += [f"<li>{E(n)}</li>" for n in result.notes]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _exercises(result: ClassResult, students: list[StudentResult]) -> list[str]:
    out = ["<table><tr><th class=n>#</th><th>exercise</th><th>submitted</th><th>mean</th><th>full marks</th>"
           "<th>cut short (time)</th><th>tampering</th><th>not gradable</th><th>grader errors</th></tr>"]
    for number, ex in enumerate(result.exercises, start=1):
        rs = [(s.exercises[ex.id], s.how[ex.id]) for s in students]
        sub = [r for r, how in rs if how != "not submitted"]
        mean = sum(r.score for r, _ in rs) / len(rs) if rs else 0.0
        out.append(
            f"<tr><td class=n>{number}</td><td><code>{E(ex.id)}</code></td><td class=n>{len(sub)}</td>"
            f"<td class=n>{mean:.2f} / "
            f"{points(ex.max_points)}</td><td class=n>{sum(1 for r, _ in rs if r.score == ex.max_points)}</td>"
            f"<td class=n>{sum(1 for r, _ in rs if r.run_info.get('timed_out'))}</td>"
            f"<td class=n>{sum(1 for r, _ in rs if r.run_info.get('tampered'))}</td>"
            f"<td class=n>{sum(1 for _, how in rs if how == 'rejected')}</td>"
            f"<td class=n>{sum(1 for r, _ in rs if any(c.status is Status.ERROR for c in r.checks))}</td></tr>")
    out.append("</table>")
    return ["<h2>Exercises</h2>", *_scroll(out)]


def _mistakes(result: ClassResult, students: list[StudentResult]) -> list[str]:
    out = ["<h2>Checks failed, most common first</h2>",
           '<p class="muted">Among submitted files. The messages are the first line of what students were told.'
           "</p>"]
    for ex in result.exercises:
        graded = [s.exercises[ex.id] for s in students if s.how[ex.id] not in ("not submitted", "rejected")]
        failures: Counter[str] = Counter()
        messages: Counter[str] = Counter()
        titles = {}
        for r in graded:
            for c in r.checks:
                titles[c.name] = c.title
                if c.status is not Status.PASSED:
                    failures[c.name] += 1
            for first in {c.message.split("\n", 1)[0] for c in r.checks if c.status is not Status.PASSED}:
                messages[first] += 1
        out.append(f"<h3><code>{E(ex.id)}</code> ({len(graded)} graded)</h3>")
        if not graded:
            out.append('<p class="muted">nothing submitted</p>')
            continue
        failed = sorted(((k, n) for k, n in failures.items() if n), key=lambda kv: (-kv[1], kv[0]))
        if not failed:
            out.append(f'<p class="muted">every check passed on every graded file ({len(titles)} checks)</p>')
            continue
        table = ["<table><tr><th>check</th><th>failed</th><th></th></tr>"]
        for name, n in failed:
            width = int(160 * n / len(graded))
            table.append(f"<tr><td>{E(name)}: {E(titles[name])}</td><td class=n>{n} / {len(graded)}</td>"
                         f'<td><span class="bar" style="width:{width}px"></span></td></tr>')
        table.append("</table>")
        out += _scroll(table)
        passed = len(titles) - len(failed)
        if passed:
            out.append(f'<p class="muted">{passed} other check(s) passed on every graded file.</p>')
        if messages:
            table = ["<table><tr><th>students</th><th>most common mistakes (first line of the message)</th></tr>"]
            for msg, n in sorted(messages.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
                table.append(f"<tr><td class=n>{n}</td><td>{E(shorten(msg))}</td></tr>")
            table.append("</table>")
            out += _scroll(table)
    return out


def _protections(result: ClassResult) -> list[str]:
    from coursekit._bulk.gradebook import ran_unsafe

    warning = (['<p class="unsafe"><strong>Graded with --unsafe:</strong> student code was allowed to run as root '
                "on this machine (no other isolation was available); these results are not protected from the "
                "submissions.</p>"] if ran_unsafe(result) else [])
    return warning + _isolation(result)


def _isolation(result: ClassResult) -> list[str]:
    sb = result.protections()
    if not sb:
        return ["<h2>Isolation</h2><p>No run was needed (everything came from the cache or nothing was "
                "submitted); see each student's results.json for the isolation of earlier runs.</p>"]
    limits = sb.get("limits", {})
    rows = [
        ("level", sb.get("level", "")),
        ("unprivileged user", f"yes (uid {sb.get('uid')})" if sb.get("unprivileged_user") else "no"),
        ("network", sb.get("network", "")),
        ("file system", sb.get("filesystem", "")),
        ("limits", ", ".join(f"{k} {v}" for k, v in limits.items())),
        ("audit guard", "yes: kit imports, trace/grader files, object-graph walks and monkeypatches are refused "
                        "and zero the exercise"),
        ("seen from outside", sb.get("observed", "nothing (runs from before the observer)")),
        ("fallbacks", "; ".join(sb.get("fallbacks", [])) or "none"),
    ]
    table = ["<table>", *[f"<tr><th>{E(k)}</th><td>{E(str(v))}</td></tr>" for k, v in rows], "</table>"]
    return ["<h2>Isolation of the runs</h2>", *_scroll(table)]


def _roster(rm: RosterMatch) -> list[str]:
    out = [f"<h2>Roster</h2><p>{len(rm.matches)} of {len(rm.roster.entries)} roster student(s) matched to a "
           f"submission on column <code>{E(rm.column)}</code> of <code>{E(rm.roster.path.name)}</code>; "
           f"wrote <code>{E(rm.roster.lms.gradebook)}</code> and <code>roster-match.csv</code>.</p>"]
    problems = rm.problems()
    if problems:
        out.append("<p>Not matched (never dropped: fix the roster or the submission's name and grade again):</p><ul>")
        out += [f"<li>{E(p)}</li>" for p in problems]
        out.append("</ul>")
    return out


def _students(result: ClassResult, students: list[StudentResult]) -> list[str]:
    head = "".join(f'<th class=n title="{E(ex.id)}">{n}</th>' for n, ex in enumerate(result.exercises, start=1))
    withheld = has_withheld_checks(result)

    def instructor(link: str) -> str:
        return (f'<a href="{link}/{INSTRUCTOR_FEEDBACK}">instructor\'s feedback</a> &middot; '
                if withheld else "")

    table = [f"<table class=students><tr><th>student</th><th class=n>total</th><th>feedback</th>{head}"
             "<th>notes</th></tr>"]
    for s in students:
        link = quote(student_dir(s.student))
        cells = []
        for ex in result.exercises:
            r, how = s.exercises[ex.id], s.how[ex.id]
            flag = ' <abbr title="cut short (time)">T</abbr>' if r.run_info.get("timed_out") else ""
            flag += ' <abbr title="tampering">!</abbr>' if r.run_info.get("tampered") else ""
            text = ("&ndash;" if how == "not submitted" else
                    '<abbr title="not gradable">n/g</abbr>' if how == "rejected" else points(r.score))
            cells.append(f"<td class=n>{text}{flag}</td>")
        table.append(f"<tr><td class=who>{E(s.student)}</td><td class=n>{points(s.total)}</td>"
                     f'<td class=links><a href="{link}/feedback.md">feedback</a> &middot; {instructor(link)}'
                     f'<a href="{link}/results.json">results.json</a></td>{"".join(cells)}'
                     f"<td class=notes>{'<br>'.join(E(n) for n in s.submission.notes)}</td></tr>")
    table.append("</table>")
    return ["<h2>Students</h2>",
            '<p class="muted">Columns 1, 2, ... are the exercises as numbered above (hover a number for its id); '
            "&ndash; not submitted, n/g not gradable, T cut short (time), ! tampering.</p>", *_scroll(table)]
