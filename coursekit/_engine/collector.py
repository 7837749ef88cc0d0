"""Garbage collection at moments the program decides, never at moments the machine decides (threads, asyncio).

Why: CPython's cyclic collector runs when allocations pass a threshold counted over the whole process, and the
kit's own threads (the watchdog, the trace writer) allocate at the pace of real time.  So a student's garbage
cycle was collected at a different moment from run to run, and its finalizers ran in whichever thread happened to
allocate, the watchdog included.  Seen: a ``ThreadPoolExecutor`` that is never shut down, in a function whose
caught exception ties its frame into a cycle, is freed only by the collector; freeing it wakes its idle workers
(a weakref callback), so how many workers were still alive at the end changed from run to run, and when the
callback ran in the watchdog's thread the run stalled.

How: the harness turns automatic collection off and freezes what it imported (``install``: collections then
look only at objects made later); the scheduler calls ``point()`` each time a thread takes the turn back (after a
block, a yield, a preemption) and at each turn of an event loop, and every ``EVERY`` points a full collection runs
there, in the thread that holds the turn.  The points depend only on the program and its schedule, so the same
program collects at the same moments on every run.  A program that never hands the turn over never collects:
its garbage cycles wait (bounded by the run's memory limit), as they may in CPython between two thresholds.
A program's own ``gc.collect()`` runs where it is called, as always.
"""

from __future__ import annotations

import gc

EVERY = 200
"""Turn-takings between two collections: a full collection over the objects made since ``install`` costs well
under a millisecond in an exercise, and a run of the course takes from a few hundred to a few thousand turns."""


class Collector:
    def __init__(self, every: int = EVERY) -> None:
        self.every = every
        self.count = 0

    def point(self) -> None:
        """A moment the program decided (called with the turn held, outside the scheduler's mutex)."""
        self.count += 1
        if self.count % self.every == 0:
            gc.collect()


def install() -> Collector:
    """Collect only at ``Collector.point``: automatic collection off, everything made so far frozen."""
    gc.disable()
    gc.freeze()
    return Collector()
