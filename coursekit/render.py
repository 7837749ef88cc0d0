"""Text for people: a run's timeline beside the expected one, and a check's failure message."""

from __future__ import annotations

from coursekit._timeline import Line, Timeline
from coursekit.checks import EPS, Verdict

MAX_ROWS = 24


def _row(tl: Timeline, line: Line | None) -> tuple[str, str, str]:
    if line is None:
        return ("", "", "")
    return (f"{line.t:6.2f} s", tl.ctx(line.ctx).label, line.text)


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


def side_by_side(observed: Timeline, expected: Timeline) -> str:
    mark = first_divergence(observed, expected)
    rows_o = [_row(observed, x) for x in observed.lines]
    rows_e = [_row(expected, x) for x in expected.lines]
    n = max(len(rows_o), len(rows_e))
    start = 0 if n <= MAX_ROWS or mark is None else max(0, min(mark - 4, n - MAX_ROWS))
    stop = min(n, start + MAX_ROWS)
    wl = max([len(r[1]) for r in rows_o + rows_e] + [4])
    wt = max([len(r[2]) for r in rows_o] + [8])
    head = f"     {'your program':<{9 + wl + wt + 2}}| expected (reference solution)"
    out = [head]
    if start > 0:
        out.append("     ...")
    for i in range(start, stop):
        o = rows_o[i] if i < len(rows_o) else ("", "", "")
        e = rows_e[i] if i < len(rows_e) else ("", "", "")
        left = f"{o[0]:>8} {o[1]:<{wl}}  {o[2]:<{wt}}" if o[0] else " " * (9 + wl + 2 + wt)
        right = f"{e[0]:>8} {e[1]:<{wl}}  {e[2]}" if e[0] else ""
        arrow = " >> " if i == mark else "    "
        out.append(f"{arrow} {left} | {right}".rstrip())
    if stop < n:
        out.append(f"     ... ({n - stop} more)")
    if mark is not None:
        out.append("     >> first difference")
    return "\n".join(out)


def failure_message(verdict: Verdict, observed: Timeline, expected: Timeline) -> str:
    parts = []
    if verdict.message:
        parts.append(verdict.message)
    for finding in verdict.findings:
        parts.append("- " + finding.text())
    text = "\n".join(parts)
    if verdict.show_timeline:
        text += "\n\nTimeline (virtual seconds since main() started):\n" + side_by_side(observed, expected)
    return text
