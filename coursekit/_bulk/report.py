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
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1100px; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: 0.8em; background: #d9534f; }
.muted { color: #777; } code { background: #f4f4f4; padding: 0 0.2em; }
"""


def histogram_svg(totals: list[float], max_total: float, bins: int = 10) -> str:
    """Counts of students per score band, as an SVG bar chart with labelled axes."""
    width, height, left, bottom, top = 640, 260, 40, 40, 20
    counts = [0] * bins
    for t in totals:
        i = bins - 1 if max_total <= 0 else min(bins - 1, int(t / max_total * bins))
        counts[i] += 1
    peak = max([*counts, 1])
    bw = (width - left - 10) / bins
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="score distribution">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#333"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#333"/>']
    for k in range(0, peak + 1, max(1, math.ceil(peak / 5))):
        y = height - bottom - k / peak * (height - bottom - top)
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{k}</text>')
    for i, c in enumerate(counts):
        h = c / peak * (height - bottom - top)
        x = left + i * bw
        lo, hi = max_total * i / bins, max_total * (i + 1) / bins
        parts.append(f'<rect x="{x + 2:.1f}" y="{height - bottom - h:.1f}" width="{bw - 4:.1f}" height="{h:.1f}" '
                     f'fill="#4a7ebb"><title>{c} student(s) with {lo:g} to {hi:g} points</title></rect>')
        if c:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{height - bottom - h - 4:.1f}" font-size="11" '
                         f'text-anchor="middle">{c}</text>')
        parts.append(f'<text x="{x + bw / 2:.1f}" y="{height - bottom + 14}" font-size="10" '
                     f'text-anchor="middle">{lo:g}-{hi:g}</text>')
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
           f"<title>Class report: {E(result.course.title or result.course.id)}</title>",
           f"<style>{STYLE}</style></head><body>",
           f"<h1>Class report: {E(result.course.title or result.course.id)}</h1>",
           f'<p class="muted">{len(students)} student(s), {len(result.exercises)} exercise(s), '
           f"{points(result.max_total)} points in all. Graded {result.graded} file(s), reused {result.reused} "
           f"unchanged verdict(s) from the cache. coursekit {E(coursekit.__version__)}.</p>"]
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
    out = ["<h2>Exercises</h2><table><tr><th>exercise</th><th>submitted</th><th>mean</th><th>full marks</th>"
           "<th>cut short (time)</th><th>tampering</th><th>not gradable</th><th>grader errors</th></tr>"]
    for ex in result.exercises:
        rs = [(s.exercises[ex.id], s.how[ex.id]) for s in students]
        sub = [r for r, how in rs if how != "not submitted"]
        mean = sum(r.score for r, _ in rs) / len(rs) if rs else 0.0
        out.append(
            f"<tr><td><code>{E(ex.id)}</code></td><td class=n>{len(sub)}</td><td class=n>{mean:.2f} / "
            f"{points(ex.max_points)}</td><td class=n>{sum(1 for r, _ in rs if r.score == ex.max_points)}</td>"
            f"<td class=n>{sum(1 for r, _ in rs if r.run_info.get('timed_out'))}</td>"
            f"<td class=n>{sum(1 for r, _ in rs if r.run_info.get('tampered'))}</td>"
            f"<td class=n>{sum(1 for _, how in rs if how == 'rejected')}</td>"
            f"<td class=n>{sum(1 for r, _ in rs if any(c.status is Status.ERROR for c in r.checks))}</td></tr>")
    out.append("</table>")
    return out


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
        out.append("<table><tr><th>check</th><th>failed</th><th></th></tr>")
        for name, n in sorted(((k, failures.get(k, 0)) for k in titles), key=lambda kv: (-kv[1], kv[0])):
            width = int(200 * n / len(graded))
            out.append(f"<tr><td>{E(name)}: {E(titles[name])}</td><td class=n>{n} / {len(graded)}</td>"
                       f'<td><span class="bar" style="width:{width}px"></span></td></tr>')
        out.append("</table>")
        if messages:
            out.append("<table><tr><th>students</th><th>most common mistakes (first line of the message)</th></tr>")
            for msg, n in sorted(messages.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
                out.append(f"<tr><td class=n>{n}</td><td>{E(msg[:300])}</td></tr>")
            out.append("</table>")
    return out


def _protections(result: ClassResult) -> list[str]:
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
        ("fallbacks", "; ".join(sb.get("fallbacks", [])) or "none"),
    ]
    return (["<h2>Isolation of the runs</h2><table>"]
            + [f"<tr><th>{E(k)}</th><td>{E(str(v))}</td></tr>" for k, v in rows] + ["</table>"])


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
    head = "".join(f"<th><code>{E(ex.id)}</code></th>" for ex in result.exercises)
    withheld = has_withheld_checks(result)

    def instructor(link: str) -> str:
        return (f'<a href="{link}/{INSTRUCTOR_FEEDBACK}">instructor\'s feedback</a> &middot; '
                if withheld else "")

    out = [f"<h2>Students</h2><table><tr><th>student</th>{head}<th>total</th><th>feedback</th><th>notes</th></tr>"]
    for s in students:
        link = quote(student_dir(s.student))
        cells = []
        for ex in result.exercises:
            r, how = s.exercises[ex.id], s.how[ex.id]
            flag = " (time)" if r.run_info.get("timed_out") else ""
            flag += " (tampering)" if r.run_info.get("tampered") else ""
            text = "&ndash;" if how == "not submitted" else ("not gradable" if how == "rejected" else points(r.score))
            cells.append(f"<td class=n>{text}{flag}</td>")
        out.append(f"<tr><td>{E(s.student)}</td>{''.join(cells)}<td class=n>{points(s.total)}</td>"
                   f'<td><a href="{link}/feedback.md">feedback</a> &middot; {instructor(link)}'
                   f'<a href="{link}/results.json">results.json</a></td>'
                   f"<td>{'<br>'.join(E(n) for n in s.submission.notes)}</td></tr>")
    out.append("</table>")
    return out
