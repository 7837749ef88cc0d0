"""The timeline picture at every width a learner's terminal has (60, 80, 100, 160 columns), for every exercise's
reference run and for the same runs shrunk below a second: no line wider than the terminal, a time axis with
labels, and a scale that spreads the run over the columns (a short run was once drawn on one column, at
``1 col = 125000 s``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from _course_copy import ROOT

from coursekit._judge.picture import summarize
from coursekit._view import text as render
from coursekit._view.scale import choose_scale, lane_times
from coursekit.grading import ReferenceCache, load_grader
from coursekit.registry import load_course

WIDTHS = (60, 80, 100, 160)
COURSE = load_course(ROOT)
TIME_KEYS = {"t", "t0", "t1", "start", "end", "returned_at", "other_t"}


@pytest.fixture(scope="module")
def references() -> dict[str, dict[str, Any]]:
    """Each exercise's reference run as a picture (the reference beside itself), made once for the module."""
    cache = ReferenceCache()
    out = {}
    for ex in COURSE.exercises:
        tl = cache.get(ex, load_grader(ex))
        out[ex.id] = summarize(tl, tl)
    return out


def _scaled(data: Any, factor: float) -> Any:
    """A picture with every time multiplied by ``factor`` (the same run, faster or slower)."""
    if isinstance(data, dict):
        return {k: (v * factor if k in TIME_KEYS and isinstance(v, int | float) and not isinstance(v, bool)
                    else _scaled(v, factor)) for k, v in data.items()}
    if isinstance(data, list):
        return [_scaled(v, factor) for v in data]
    return data


def _check(picture: dict[str, Any], width: int, where: str) -> None:
    for unicode in (False, True):
        text = render.picture_text(picture, width=width, unicode=unicode)
        too_wide = [line for line in text.splitlines() if len(line) > width]
        assert not too_wide, f"{where} at {width} columns: {too_wide}\n{text}"
        span = max(lane_times(picture))
        if span <= 0:
            continue
        axis = text.splitlines()[0]
        labels = re.findall(r"\d+(?:\.\d+)?(?:e-?\d+)?", axis)
        assert len(labels) >= 2, f"{where} at {width}: one label on the axis\n{text}"
        scale = float(re.search(r"1 col = (\S+) s", text).group(1))  # type: ignore[union-attr]
        assert span / scale >= 8, f"{where} at {width}: {span} s drawn on {span / scale:g} columns\n{text}"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_reference_run_fits_every_width(references, width):
    for ex_id, picture in references.items():
        _check(picture, width, ex_id)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("factor", [0.1, 0.013, 0.0004])
def test_runs_shorter_than_a_second_fit_and_keep_their_axis(references, width, factor):
    for ex_id, picture in references.items():
        if max(lane_times(picture)) > 0:
            _check(_scaled(picture, factor), width, f"{ex_id} x{factor}")


def test_a_short_run_is_not_drawn_on_one_column():
    """The shared_value_lock case of the issue: lines at 0.025 s and 0.1 s, on 58 columns."""
    scale, _ = choose_scale([0, 0.025, 0.1], 58)
    assert 0.1 / scale >= 10
    scale, _ = choose_scale([0, 0.0013, 0.004], 60)
    assert 0.004 / scale >= 10
