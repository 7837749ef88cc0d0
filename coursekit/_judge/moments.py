"""Time on the judge side: when two times are the same moment, and how a time is written in a message.

Why one module: the tolerances were literals in six places (``1e-6`` as ``EPS`` twice, ``1e-9`` four times) and
seconds were formatted by four helpers.  The two tolerances differ on purpose, and both are named here:

* ``EPS`` compares times of *two* runs (the student's and the reference's), or a time with a deadline: virtual
  times are sums of the same sleeps, so anything closer than a microsecond is the same moment;
* ``TICK`` is the resolution of *one* run: the timeline rounds times to 9 decimals, so two events of one run
  within a tick happened at the same instant (a worker that printed the moment it started).

Pure data and functions: the check classes import it in the student's process when a grader is loaded there.
"""

from __future__ import annotations

EPS = 1e-6
"""Two times of two runs closer than this are the same moment (a line on time, two lines due together)."""

TICK = 1e-9
"""The resolution of one run's timeline: events of one run within a tick happened at the same instant."""


def seconds(t: float) -> str:
    """A time or a duration as students read it: ``1.5 s``, ``0.25 s``, ``12 s``."""
    return f"{t:g} s"


__all__ = ["EPS", "TICK", "seconds"]
