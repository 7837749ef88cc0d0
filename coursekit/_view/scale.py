"""The time axis every drawing of a failure picture shares: its times, "nice" steps, ticks, lane colours, seconds.

Why one module: the terminal drawing (``coursekit._view.text``) and the SVG page (``coursekit._view.html``) show
the same picture, and a reader who compares them must see the same seconds written the same way and each lane in
the same colour.  When each view kept its own copy they were free to drift apart.

Two families of "nice" steps, on purpose:

* ``SCALE_STEPS`` (1, 1.25, 2, 2.5, 5 times a power of ten): seconds per column of a text picture.  The extra
  1.25 lets more pictures find a scale that divides every time exactly, so that each mark lands on its own
  moment (``choose_scale``);
* ``AXIS_STEPS`` (1, 2, 2.5, 5 times a power of ten): the labelled ticks of a continuous (SVG) axis, where
  only round labels help the eye.
"""

from __future__ import annotations

import math
from typing import Any

SCALE_STEPS = sorted(m * 10.0**e for e in range(-7, 6) for m in (1, 1.25, 2, 2.5, 5))
AXIS_STEPS = sorted(m * 10.0**e for e in range(-7, 6) for m in (1, 2, 2.5, 5))
PALETTE = ("cyan", "magenta", "yellow", "green", "blue", "bright_red", "bright_cyan", "bright_magenta",
           "bright_yellow", "bright_green", "bright_blue", "red")
"""Lane colours, by rich's names (the SVG page maps each name to a colour of its own, so a lane keeps it)."""
MAIN_COLOUR = "bold"
"""The main lane is drawn in the text's own colour, bold, whatever the palette."""


def fmt_seconds(t: float) -> str:
    """A time as readers see it in every drawing: ``7.5 s``, ``0 s``, ``0.125 s``."""
    return f"{t:g} s"


def lane_times(picture: dict[str, Any]) -> list[float]:
    """The times that bound a picture's lanes: 0, each run's end, each lane's start and end, each printed line."""
    out = [0.0]
    for side in ("observed", "expected"):
        data = picture[side]
        out.append(data["end"])
        for ln in data["lanes"]:
            out += [ln["start"]] + ([ln["end"]] if ln["end"] is not None else [])
            out += [p["t"] for p in ln["prints"]]
    return out


def picture_times(picture: dict[str, Any]) -> list[float]:
    """Every time a picture marks: those of ``lane_times``, plus crashes and the ends of each wait."""
    out = lane_times(picture)
    for side in ("observed", "expected"):
        for ln in picture[side]["lanes"]:
            out += [m["t"] for m in ln["marks"]]
            out += [w["t0"] for w in ln["waits"]] + [w["t1"] for w in ln["waits"]]
    return out


def legible_columns(columns: int) -> int:
    """The fewest columns a picture's span may be drawn on when ``columns`` are available: a quarter of them, and
    at least 10 (or all, when fewer are available).  An exact scale that draws the span on fewer is refused."""
    return min(columns, max(10, columns // 4))


def choose_scale(times: list[float], columns: int) -> tuple[float, bool]:
    """Seconds per column, and whether every time falls exactly on a column.

    Among the steps that fit ``columns`` and still draw the span on at least ``legible_columns`` of them, the
    finest one that divides every time; else the finest that fits.  Why the lower bound: every time below a
    millionth of a step "divides" it, so without it a run shorter than a second was once drawn on one column at
    125000 s per column (an axis reading ``0 s`` and nothing else).
    """
    span = max(times) if times else 0.0
    if span <= 0:
        return 1.0, True
    fitting = [s for s in SCALE_STEPS if math.floor(span / s + 1e-9) + 1 <= columns]
    if not fitting:
        return SCALE_STEPS[-1], False
    least = legible_columns(columns)
    for s in fitting:
        if span / s + 1e-9 < least - 1:
            break
        if all(abs(t / s - round(t / s)) < 1e-6 for t in times):
            return s, True
    return fitting[0], False


def column_tick_step(scale: float, ncols: int) -> float:
    """Seconds between two ticks of a text axis of ``ncols`` columns of ``scale`` seconds: a nice step that is a
    whole number of columns, at least six apart (room for a label); the whole axis when none is."""
    for s in SCALE_STEPS:
        if s >= scale and s / scale >= 6 and abs(s / scale - round(s / scale)) < 1e-9:
            return s
    return scale * ncols


def axis_step(span: float, pixels: float) -> float:
    """Seconds between two labelled ticks of a continuous axis ``pixels`` wide showing ``span`` seconds: the
    finest round step that leaves about 70 pixels per label (at least two labels); ``span`` when none does."""
    for step in AXIS_STEPS:
        if span / step <= max(2.0, pixels / 70):
            return step
    return span


def lane_colours(picture: dict[str, Any]) -> dict[str, str]:
    """Each lane label's colour: main bold, the others from ``PALETTE`` in order of first appearance, the expected
    run first (so that a lane has the same colour in both runs, and in every drawing)."""
    out: dict[str, str] = {}
    for side in ("expected", "observed"):
        for ln in picture[side]["lanes"]:
            if ln["label"] not in out:
                out[ln["label"]] = MAIN_COLOUR if ln["kind"] == "main" else PALETTE[(len(out) - 1) % len(PALETTE)]
    return out


__all__ = ["AXIS_STEPS", "MAIN_COLOUR", "PALETTE", "SCALE_STEPS", "axis_step", "choose_scale", "column_tick_step",
           "fmt_seconds", "lane_colours", "lane_times", "legible_columns", "picture_times"]
