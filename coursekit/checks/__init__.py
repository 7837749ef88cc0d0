"""The checks a grader is made of: the public API for ``graders/<id>.py``.

Each check compares an observed timeline with the reference solution's and never knows an exercise. The core
checks (runs, output, timing, order, model, overlap, join) live in ``_core``; further kinds of checks live in
their own private modules and are re-exported here, so a grader only ever writes ``checks.Name(...)``.
"""

from coursekit.checks._core import (
    ALL_CHECKS,
    EPS,
    OK,
    Check,
    Join,
    Model,
    Order,
    Output,
    Overlap,
    Runs,
    Timing,
    Verdict,
    match_lines,
)
from coursekit.checks._result import Returns
from coursekit.checks._cancellation import Cancellation
from coursekit.checks._elapsed import Elapsed
from coursekit.checks._inflight import InFlight
from coursekit.checks._processed import ProcessedOnce
from coursekit.checks._responsiveness import Responsive
from coursekit.checks._workers import Busy, Deadline, ExactlyOnce, Leaks, Workers
from coursekit.checks._processes import ChildProcesses, ConcurrentChildren, PoolParallel, QueuesDrained, SharedUpdates

STANDARD = (Runs(), Output(), Timing(), Order(), Model(), Overlap(), Join())
"""The seven checks of a "start workers, wait for them" exercise, in the order students read them."""

__all__ = [
    "ALL_CHECKS", "EPS", "OK", "STANDARD", "Check", "Join", "Model", "Order", "Output", "Overlap", "Returns", "Runs",
    "Timing", "Verdict", "match_lines",
]
__all__ += ["Busy", "Deadline", "ExactlyOnce", "Leaks", "Workers"]
__all__ += ["Cancellation", "Elapsed", "InFlight", "ProcessedOnce", "Responsive"]
__all__ += ["ChildProcesses", "ConcurrentChildren", "PoolParallel", "QueuesDrained", "SharedUpdates"]
