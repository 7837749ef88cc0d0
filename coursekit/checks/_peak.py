"""Peak concurrency: the most things open at once, and when, whether counted in trace order or on the clock.

Why one module: "how many at once" is the measure behind ``Workers`` (workers alive together), ``Busy``
(workers inside their work), ``InFlight`` (units of work in progress), ``PoolParallel`` (pool calls on an ideal
pool) and ``ConcurrentChildren`` (child processes started and not yet joined); it had four implementations.
Now there are two views of one count:

* ``most_open``: steps in the order they happened (open or close one key); order alone tells "all started
  before any ended" from "one after the other", even when everything happens at 0 s (work that only yields);
* ``peak_overlap``: intervals on the clock, made into such steps (a close before an open at the same moment:
  intervals that only touch do not overlap).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple


class Peak(NamedTuple):
    """The most keys open at once, the moment that first happened, and which keys they were (sorted)."""

    most: int
    at: float
    who: list[str]


def most_open(steps: Iterable[tuple[float, str, bool]]) -> Peak:
    """The peak of ``steps`` taken in order: ``(moment, key, opens)``; a key open twice counts once, and
    closing a key that is not open does nothing."""
    open_: Counter[str] = Counter()
    best = Peak(0, 0.0, [])
    for moment, key, opens in steps:
        if opens:
            open_[key] += 1
        elif open_[key] > 0:
            open_[key] -= 1
        if opens:
            live = [k for k, n in open_.items() if n > 0]
            if len(live) > best.most:
                best = Peak(len(live), moment, sorted(live))
    return best


def peak_overlap(spans: Iterable[tuple[str, float, float]], *, same_within: float = 0.0) -> Peak:
    """The most keys whose spans ``(key, start, end)`` overlap at one moment (open intervals: one that ends as
    another starts does not overlap it); a key with overlapping spans counts once.

    Times closer than ``same_within`` to the one before them are the same moment (``EPS`` across runs, 0 for
    times computed exactly); a span that starts and ends at the same moment is no span.
    """
    spans = list(spans)
    moment: dict[float, float] = {}
    first: float | None = None  # the first time of the current moment
    for t in sorted({t for _, a, b in spans for t in (a, b)}):
        if first is None or t - first > same_within:
            first = t
        moment[t] = first
    edges = []
    for key, a, b in spans:
        start, end = moment[a], moment[b]
        if end > start:
            edges.append((end, 0, key))  # a close sorts before an open at the same moment
            edges.append((start, 1, key))
    edges.sort(key=lambda e: (e[0], e[1]))
    return most_open((t, key, opens == 1) for t, opens, key in edges)


__all__ = ["Peak", "most_open", "peak_overlap"]
