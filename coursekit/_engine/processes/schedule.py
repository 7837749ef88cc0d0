"""The ideal schedule of a pool of ``k`` workers: each call, in submission order, takes the slot free first.

Pure and side-effect free, because both sides need it: the child side places a pool's calls on logical time
(``processes/pools.py``), and the judge measures how many calls an ideal pool would have run at once
(``coursekit.checks._processes``).  One definition keeps them from drifting.
"""

from __future__ import annotations


class IdealSlots:
    """``slots`` workers; ``place`` puts one call on the slot that is free first (the lowest on a tie)."""

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError(f"a pool has at least one worker, not {slots!r}")
        self.free = [0.0] * slots

    def place(self, earliest: float, duration: float) -> tuple[float, float]:
        """Start and end of a call that may not start before ``earliest`` and lasts ``duration``."""
        slot = min(range(len(self.free)), key=lambda i: (self.free[i], i))
        start = max(earliest, self.free[slot])
        self.free[slot] = start + duration
        return start, start + duration
