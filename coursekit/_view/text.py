"""Timeline pictures for terminals and plain text: lanes on a time axis, their legend, the printed lines beside.

The picture is drawn from the JSON-able summary made by ``coursekit._judge.picture.summarize`` (carried by
``CheckResult.lanes``), never from a trace, so the same data draws in a terminal, in a plain log or in a browser
(``coursekit._view.html``).  Two glyph sets: box characters and colour for a terminal (``rich``; colour is dropped
when ``NO_COLOR`` is set), plain ASCII when the text goes anywhere else (a pipe, a file, ``results.json``),
because there nobody can promise that the reader's font or encoding has box characters.

The time axis is exact whenever it can be: the scale (seconds per column, ``coursekit._view.scale``) is the
coarsest-to-finest "nice" step that divides every time in the picture and still fits the width, so every mark
lands on its own moment.  Only when no such step fits are times rounded to the nearest column, and the legend
then says so.  The list of printed lines under the lanes gives every time exactly, whatever the scale.

The words of a failure (its message, ``TIMELINE_HEADING``) are the judge's: ``coursekit._judge.messages``.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coursekit._judge.picture import DRIVER_LABEL
from coursekit._view.scale import choose_scale, column_tick_step, fmt_seconds, lane_colours, picture_times

if TYPE_CHECKING:
    from rich.console import RenderableType

PLAIN_WIDTH = 100  # the width of the plain picture stored in a result's message
MAX_LANES = 12
MAX_ROWS = 20  # rows of the side-by-side list (a line missing on one side takes a row of its own)
TITLES = {"observed": "your program", "expected": "expected"}


@dataclass(frozen=True)
class Glyphs:
    printed: str
    run: str
    wait: str
    start: str
    end: str
    still_running: str
    crash: str
    paused: str
    grid: str
    marker: str
    rule: str


BOX = Glyphs("●", "─", "┈", "├", "┤", "→", "✗", "◆", "·", "▼", "│")
ASCII = Glyphs("o", "-", ".", "|", "|", ">", "X", "*", " ", "v", "|")


def _lane_cells(ln: dict[str, Any], *, scale: float, ncols: int, end_of_run: float, ticks: set[int], g: Glyphs,
                colour: str, div_index: int | None, div_mark: dict[str, Any] | None) -> list[tuple[str, str]]:
    def col(t: float) -> int:
        return min(ncols - 1, max(0, round(t / scale)))

    cells: list[tuple[str, str]] = [(g.grid if c in ticks else " ", "dim") for c in range(ncols)]
    start = col(ln["start"])
    stop = col(ln["end"] if ln["end"] is not None else end_of_run)
    for c in range(start, stop + 1):
        cells[c] = (g.run, colour)
    for w in ln["waits"]:
        for c in range(col(w["t0"]), col(w["t1"]) + 1):
            cells[c] = (g.wait, f"{colour} dim" if colour != "bold" else "dim")
    cells[start] = (g.start, colour)
    if ln["end"] is not None:
        cells[stop] = (g.end, colour)
    elif stop + 1 < ncols:
        cells[stop + 1] = (g.still_running, colour)
    counts: dict[int, list[dict[str, Any]]] = {}
    for p in ln["prints"]:
        counts.setdefault(col(p["t"]), []).append(p)
    for c, ps in counts.items():
        glyph = g.printed if len(ps) == 1 else (str(len(ps)) if len(ps) < 10 else "+")
        hit = div_index is not None and any(p["i"] == div_index for p in ps)
        cells[c] = (glyph, "bold reverse red" if hit else f"bold {colour}" if colour != "bold" else "bold")
    for m in ln["marks"]:
        cells[col(m["t"])] = (g.paused, "bold magenta") if m.get("kind") == "paused" else (g.crash, "bold red")
    if div_mark is not None and div_index is None and div_mark.get("lane") == ln["id"]:  # main() returned
        c = col(div_mark["t"])
        cells[c] = (cells[c][0], "bold reverse red")
    while cells and cells[-1][0] == " ":  # no trailing blanks: plain text stays clean
        cells.pop()
    return cells


def lanes_renderable(picture: dict[str, Any], *, width: int, unicode: bool, lines: bool = True,
                     max_lanes: int = MAX_LANES, compact: bool = False) -> RenderableType:
    """The lanes of both runs on one time axis, the first divergence marked, and the printed lines beside
    (``lines=False``: without them; ``max_lanes``: the lanes drawn per run; ``compact``: no blank rows; the last
    two for a screen of few rows)."""
    from rich.console import Group
    from rich.text import Text

    g = BOX if unicode else ASCII
    colours = lane_colours(picture)
    labels = [ln["label"] for side in ("observed", "expected") for ln in picture[side]["lanes"]]
    lw = min(28, max([len(x) for x in labels] + [len(TITLES["observed"])]))
    indent = 2
    ncols = max(12, width - indent - lw - 3)
    times = picture_times(picture)
    scale, exact = choose_scale(times, ncols)
    used = min(ncols, math.floor(max(times) / scale + 1e-9) + 2)
    tick = column_tick_step(scale, used)
    tick_cols = {round(k * tick / scale) for k in range(int(used * scale / tick) + 2)} if tick else {0}
    tick_cols = {c for c in tick_cols if c < used}
    div = picture.get("divergence") or {}

    rows: list[RenderableType] = []
    drawn: set[str] = set()  # every glyph the lanes use: the legend explains exactly those
    ruler = [" "] * (used + 8)
    for c in sorted(tick_cols):
        label = f"{c * scale:g}"
        if all(ch == " " for ch in ruler[c:c + len(label) + 1]):
            ruler[c:c + len(label)] = list(label)
    rows.append(Text(" " * (indent + lw + 2)) + Text("".join(ruler).rstrip() + "  s", style="dim"))
    for side in ("observed", "expected"):
        data = picture[side]
        if not data["lanes"]:  # a picture of one run (``course trace``): no second side to head
            continue
        mark = div.get(side)
        header = Text(TITLES[side].ljust(lw + indent + 2), style="bold underline" if side == "observed" else "bold")
        moment = div["t"] if div.get("what") == "line" else mark["t"] if mark is not None else None
        if moment is not None:  # a line divergence is one moment, marked on both runs
            c = min(used - 1, round(moment / scale))
            header.append(" " * c + g.marker, style="bold red")
        rows.append(header)
        lanes = data["lanes"][:max_lanes]
        for ln in lanes:
            colour = colours.get(ln["label"], "")
            label = ln["label"] if len(ln["label"]) <= lw else ln["label"][: lw - 1] + "~"
            row = Text(" " * indent) + Text(label.ljust(lw), style=colour) + Text("  ")
            div_index = mark["i"] if div.get("what") == "line" and mark is not None else None
            for ch, style in _lane_cells(ln, scale=scale, ncols=used, end_of_run=data["end"], ticks=tick_cols,
                                         g=g, colour=colour, div_index=div_index,
                                         div_mark=mark if div.get("what") == "return" else None):
                row.append(ch, style=style)
                drawn.add(ch)
            rows.append(row)
        if len(data["lanes"]) > max_lanes:
            rows.append(Text(f"{' ' * indent}... and {len(data['lanes']) - max_lanes} more lanes", style="dim"))
    if not compact:
        rows.append(Text(""))
    caption = divergence_text(picture)
    if caption:
        rows.append(Text(f"{g.marker} ", style="bold red") + Text(caption))
    shown = [ln for side in ("observed", "expected") for ln in picture[side]["lanes"][:max_lanes]]
    for line in legend_lines(drawn, g, shown, scale=scale, exact=exact, width=width):
        rows.append(Text(line, style="dim"))
    if lines:
        rows.append(Text(""))
        rows.append(lines_table(picture, unicode=unicode, colours=colours, width=width))
    return Group(*rows)


def legend_lines(drawn: set[str], g: Glyphs, lanes: list[dict[str, Any]], *, scale: float, exact: bool,
                 width: int = PLAIN_WIDTH) -> list[str]:
    """The legend under the lanes: every glyph drawn, and only those, then the scale (wrapped to ``width``).

    Why only those: a legend of ten symbols for a picture that uses three is noise; and a glyph that is drawn
    but not explained (a digit for several lines in one column, a tick of the axis) is a riddle.
    """
    waits = [w for ln in lanes for w in ln["waits"]]
    blocked = any(w.get("blocked") for w in waits)
    joined = any(not w.get("blocked") for w in waits)
    counts = sorted({ch for ch in drawn if ch.isdigit()})
    entries = [
        (g.printed in drawn, f"{g.printed} printed a line"),
        (bool(counts), f"{'/'.join(counts)} that many lines printed within one column"),
        ("+" in drawn and g.printed != "+", "+ 10 or more lines printed within one column"),
        (g.run in drawn, f"{g.run} running"),
        (g.wait in drawn, f"{g.wait} " + ("waiting in join() or blocked (waiting when the run stopped)"
                                          if joined and blocked else "blocked (waiting when the run stopped)"
                                          if blocked else "waiting in join()")),
        (g.start in drawn or g.end in drawn, f"{g.start} started / ended" if g.start == g.end else
         f"{g.start} started  {g.end} ended"),
        (g.crash in drawn, f"{g.crash} crashed or killed"),
        (g.paused in drawn, f"{g.paused} paused by the schedule while another worker ran"),
        (g.still_running in drawn, f"{g.still_running} never ended"),
        (g.grid.strip() != "" and g.grid in drawn, f"{g.grid} a tick of the time axis"),
    ]
    parts = [text for shown, text in entries if shown]
    if any(ln.get("no_target") for ln in lanes):
        parts.append("(no target): a worker started with no function to run")
    if any(ln["label"] == DRIVER_LABEL for ln in lanes):
        parts.append(f"{DRIVER_LABEL}: the grader's code, which calls yours ('grader' beside a line: it printed it)")
    parts.append(f"1 col = {scale:g} s" + ("" if exact else " (rounded)"))
    out = [""]
    for part in parts:
        if out[-1] and len(out[-1]) + 2 + len(part) > width:
            out.append("")
        out[-1] += ("  " if out[-1] else "") + part
    return out


def divergence_text(picture: dict[str, Any]) -> str:
    """The first difference in words; it names the same lines the marked row of the list shows."""
    div = picture.get("divergence")
    if not div:
        return ""
    lanes = {side: {ln["id"]: ln["label"] for ln in picture[side]["lanes"]} for side in ("observed", "expected")}

    def say(side: str) -> str:
        m = div[side]
        label = lanes[side].get(m["lane"], m["lane"])
        if label == DRIVER_LABEL:  # the driver's lane holds its own lines and those of your code it called
            lines = picture[side]["lines"]
            label = lane_name(lines[m["i"]] if "i" in m and m["i"] < len(lines) else {}, label)
        return f"{m['text']!r} ({label})"

    o, e = div.get("observed"), div.get("expected")
    if div["what"] == "return":
        got = f"main() returned at {fmt_seconds(o['t'])}" if o else "main() never returned"
        want = f"at {fmt_seconds(e['t'])}" if e else "it never returns"
        return f"first difference: {got}; expected {want}."
    head = f"first difference, at {fmt_seconds(div['t'])}: "
    if o and e:
        text = f"your program printed {say('observed')} where {say('expected')} was expected"
    elif e:
        text = f"your program did not print {say('expected')}, which is expected then; " + (
            f"it printed it at {fmt_seconds(e['other_t'])}" if e.get("other_t") is not None else "it never printed it")
    else:
        text = f"your program printed {say('observed')}, " + (
            "one time more than expected then" if o.get("here_in_other") else
            f"which is due at {fmt_seconds(o['other_t'])}" if o.get("other_t") is not None else
            "which the expected run never prints")
    more = div.get("extra", 0) + div.get("missing", 0) - (o is not None) - (e is not None)
    if more > 0:
        text += f" ({more} more line{'s' if more > 1 else ''} differ{'' if more > 1 else 's'} at that moment)"
    return head + text + "."


def lines_table(picture: dict[str, Any], *, unicode: bool, colours: dict[str, str] | None = None,
                width: int | None = None) -> RenderableType:
    """Every printed line with its exact time and lane, observed beside expected (a window around the mark)."""
    from rich.table import Table
    from rich.text import Text

    colours = colours or lane_colours(picture)
    obs, exp = picture["observed"], picture["expected"]
    names = {side: {ln["id"]: ln["label"] for ln in picture[side]["lanes"]} for side in ("observed", "expected")}
    div = picture.get("divergence") or {}
    mark = div.get("row", div.get("index")) if div.get("what") == "line" else None
    pairs = table_rows(picture)
    n = len(pairs)
    start = 0 if n <= MAX_ROWS or mark is None else max(0, min(mark - 4, n - MAX_ROWS))
    stop = min(n, start + MAX_ROWS)
    t_width = max([len(fmt_seconds(x["t"])) for x in obs["lines"] + exp["lines"]] + [1])
    text_width = max([len(x["text"]) for x in obs["lines"] + exp["lines"]] + [1])
    lane_width = min(20, max([len(n.split(" ", 1)[-1]) for d in names.values() for n in d.values()]
                             + [len("your program")]))
    text_max = None
    if width is not None:  # the printed text gives way first: the marker and the rule must never be squeezed out
        if 1 + 2 * t_width + 2 * lane_width + 1 + 2 * min(text_width, 12) + 7 > width:
            return _stacked_lines(picture, pairs, start, stop, mark, colours=colours, names=names, unicode=unicode,
                                  width=width)
        text_max = max(12, (width - 1 - 2 * t_width - 2 * lane_width - 1 - 14) // 2)
    table = Table(box=None, show_header=True, pad_edge=False, padding=(0, 1), header_style="bold")
    table.add_column("", no_wrap=True, min_width=1)
    for side in ("your program", "|", "expected"):
        if side == "|":
            table.add_column("", no_wrap=True, style="dim", min_width=1)
            continue
        table.add_column("t", justify="right", no_wrap=True, style="dim", min_width=t_width)
        table.add_column(side, no_wrap=True, overflow="ellipsis", max_width=lane_width)
        table.add_column("printed", no_wrap=True, overflow="ellipsis", min_width=min(text_width, 12),
                         max_width=text_max)
    g = BOX if unicode else ASCII
    if start > 0:
        table.add_row("", "", "...", "", g.rule, "", "", "")
    for r in range(start, stop):
        cells: list[Any] = [(g.marker if r == mark else "", "bold red")]
        for side, data, i in (("observed", obs, pairs[r][0]), ("expected", exp, pairs[r][1])):
            if side == "expected":
                cells.append((g.rule, "dim"))
            if i is not None:
                x = data["lines"][i]
                label = names[side].get(x["lane"], x["lane"])
                short = lane_name(x, label)
                hit = "bold reverse red" if r == mark and side == "observed" else \
                    "bold reverse green" if r == mark else ""
                cells += [(fmt_seconds(x["t"]), "dim"), (short, colours.get(label, "")), (x["text"], hit)]
            else:
                cells += [("", ""), ("", ""), ("", "")]
        table.add_row(*[Text(text, style=style) for text, style in cells])
    if stop < n:
        table.add_row("", "", f"... ({n - stop} more)", "", g.rule, "", "", "")
    return table


def _stacked_lines(picture: dict[str, Any], pairs: list[tuple[int | None, int | None]], start: int, stop: int,
                   mark: int | None, *, colours: dict[str, str], names: dict[str, dict[str, str]], unicode: bool,
                   width: int) -> RenderableType:
    """The printed lines for a width where the two runs do not fit side by side: your program's rows, then the
    expected rows, the same window and the same marked row in each (a narrow terminal, a phone)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    g = BOX if unicode else ASCII
    parts: list[RenderableType] = []
    for side, title in (("observed", TITLES["observed"]), ("expected", TITLES["expected"])):
        data = picture[side]
        column = 0 if side == "observed" else 1
        table = Table(box=None, show_header=True, pad_edge=False, padding=(0, 1), header_style="bold")
        table.add_column("", no_wrap=True, min_width=1)
        table.add_column("t", justify="right", no_wrap=True, style="dim")
        table.add_column(title, no_wrap=True, overflow="ellipsis", max_width=max(6, width // 4))
        table.add_column("printed", no_wrap=True, overflow="ellipsis")
        if start > 0:
            table.add_row("", "", "...", "")
        for r in range(start, stop):
            i = pairs[r][column]
            if i is None:
                if r == mark:
                    table.add_row(Text(g.marker, style="bold red"), "", Text("(nothing)", style="dim"), "")
                continue
            x = data["lines"][i]
            label = names[side].get(x["lane"], x["lane"])
            hit = ("bold reverse red" if side == "observed" else "bold reverse green") if r == mark else ""
            table.add_row(Text(g.marker if r == mark else "", style="bold red"), Text(fmt_seconds(x["t"])),
                          Text(lane_name(x, label), style=colours.get(label, "")), Text(x["text"], style=hit))
        if stop < len(pairs):
            table.add_row("", "", f"... ({len(pairs) - stop} more)", "")
        parts += [table] if not parts else [Text(""), table]
    return Group(*parts)


def lane_name(line: dict[str, Any], label: str) -> str:
    """Who printed a line, as the list of printed lines says it: the lane's name without its kind (the lanes
    above say the kind; the colour ties the two), or ``grader`` for a line of the grader's driver."""
    if line.get("grader"):
        return "grader"
    return "main" if label == DRIVER_LABEL else label.split(" ", 1)[-1]  # your code, called by the driver in main


def table_rows(picture: dict[str, Any]) -> list[tuple[int | None, int | None]]:
    """The side-by-side rows (observed index, expected index): lines paired per moment when the picture says
    how (``rows``), else row k beside row k (pictures made before rows existed)."""
    if "rows" in picture:
        return [(j, k) for j, k in picture["rows"]]
    n_obs, n_exp = len(picture["observed"]["lines"]), len(picture["expected"]["lines"])
    return [(i if i < n_obs else None, i if i < n_exp else None) for i in range(max(n_obs, n_exp))]


def to_text(renderable: RenderableType, *, width: int, color: bool) -> str:
    """Render for a stream that is not a terminal (color=False: no escape codes at all)."""
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system="standard" if color else None, force_terminal=color,
                      highlight=False, emoji=False, legacy_windows=False, soft_wrap=False,
                      no_color=None if color else True)
    console.print(renderable)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines())


def picture_text(picture: dict[str, Any], *, width: int = PLAIN_WIDTH, unicode: bool = False,
                 color: bool = False) -> str:
    """The picture as a string: plain ASCII by default (for messages, logs and files)."""
    if not picture:
        return ""
    return to_text(lanes_renderable(picture, width=width, unicode=unicode), width=width, color=color)


__all__ = [
    "ASCII",
    "BOX",
    "divergence_text",
    "lanes_renderable",
    "legend_lines",
    "lines_table",
    "picture_text",
    "table_rows",
    "to_text",
]
