"""The arguments of the calls an engine replaces, checked as the real calls check them.

Why: a replaced ``time.sleep`` must fail on a bad argument exactly like the real one (same exception, same
words), or a student's mistake would look different under grading; every engine checks through here.
"""

from __future__ import annotations

from typing import Any


def check_sleep(secs: Any) -> float:
    """``secs`` as given to ``time.sleep``, or the ``TypeError`` / ``ValueError`` the real ``sleep`` raises."""
    if isinstance(secs, bool) or not isinstance(secs, (int, float)):
        raise TypeError(f"'{type(secs).__name__}' object cannot be interpreted as an integer or float")
    if secs < 0:
        raise ValueError("sleep length must be non-negative")
    return secs
