"""The checks a grader is made of: the public API for ``graders/<id>.py`` and for writing a check of your own.

Each check compares an observed timeline with the reference solution's and never knows an exercise.  A grader
only ever writes ``checks.Name(...)``; the private modules hold one family of checks each, named after it:

* ``_check``: ``Check``, ``Verdict``, ``OK``: the contract of every check (``Finding`` comes with it);
* ``_standard``: the seven standard checks (``STANDARD``) and ``match_lines``;
* ``_returns``: ``Returns``;  ``_elapsed``: ``Elapsed``;  ``_deadline``: ``Deadline``;
* ``_workers``: ``Workers``;  ``_busy``: ``Busy``;  ``_in_flight``: ``InFlight``; ``_peak``: the count behind
  the three (and the process checks);
* ``_once``: ``ExactlyOnce`` (and ``ProcessedOnce``, the same check under its former name);
* ``_leaks``: ``Leaks``;  ``_cancellation``: ``Cancellation``;  ``_responsive``: ``Responsive``;
* ``_multiprocessing``: ``PoolParallel``, ``ConcurrentChildren``, ``ChildProcesses``, ``QueuesDrained``,
  ``SharedUpdates``;
* ``_unfinished``: what every check says about a run that did not finish;
* ``_evidence``: what a check needs to have seen before it may pass (``Check.needs``: no vacuous credit);
* ``_work``: ``Work`` (the calls of the named work, ``_calls``, against the reference's); ``_roles``: which
  role (main, or the worker running a function) printed each line, for ``output``.

Writing a check: subclass ``Check``, set ``name`` and ``title``, implement ``evaluate(observed, expected)``
returning ``OK`` or a ``Verdict``; read the runs through ``Timeline`` (``coursekit._judge.timeline``: its
``lines``, ``contexts``, ``joins``...), compare times with ``EPS``, and explain failures with ``Finding``\\ s, your
own or those of ``diagnose(observed, only={...})``.

Light on purpose: a grader is imported in the student's process when it has a driver, so importing this
package loads the check classes and the few judge modules they need to answer (findings, tolerances,
line pairing, ``diagnose``), never the runner, the sandbox or the timeline builder (``tests/test_checks_api.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coursekit._judge.diagnose import FINDING_KINDS, diagnose
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS
from coursekit.checks._busy import Busy
from coursekit.checks._cancellation import Cancellation
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._deadline import Deadline
from coursekit.checks._elapsed import Elapsed
from coursekit.checks._in_flight import InFlight
from coursekit.checks._leaks import Leaks
from coursekit.checks._multiprocessing import (
    ChildProcesses,
    ConcurrentChildren,
    PoolParallel,
    QueuesDrained,
    SharedUpdates,
)
from coursekit.checks._once import ExactlyOnce, ProcessedOnce
from coursekit.checks._responsive import Responsive
from coursekit.checks._returns import Returns
from coursekit.checks._standard import (
    STANDARD_CHECKS,
    Join,
    Model,
    Order,
    Output,
    Overlap,
    Runs,
    Timing,
    match_lines,
)
from coursekit.checks._work import Work
from coursekit.checks._workers import Workers

if TYPE_CHECKING:
    from coursekit._judge.timeline import Line, Timeline

STANDARD = tuple(check() for check in STANDARD_CHECKS)
"""The seven checks of a "start workers, wait for them" exercise, in the order students read them."""

_SHIPPED: tuple[type[Check], ...] = (
    *STANDARD_CHECKS, Returns, Elapsed, Deadline, Workers, Busy, InFlight, ExactlyOnce, ProcessedOnce, Leaks,
    Cancellation, Responsive, PoolParallel, ConcurrentChildren, ChildProcesses, QueuesDrained, SharedUpdates, Work)
ALL_CHECKS: dict[str, type[Check]] = {c.name: c for c in _SHIPPED}
"""Every check class the kit ships, by its ``name`` (the key of its points in ``course.toml``)."""


def __getattr__(name: str) -> object:
    """``checks.Timeline`` and ``checks.Line``, the types a check reads, loaded only when asked for (the timeline
    module brings the runner with it, which a grader loaded in the student's process must not)."""
    if name in ("Timeline", "Line"):
        from coursekit._judge import timeline

        return getattr(timeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ALL_CHECKS", "EPS", "FINDING_KINDS", "OK", "STANDARD", "Check", "Finding", "Join", "Line", "Model", "Order",
    "Output", "Overlap", "Returns", "Runs", "Timeline", "Timing", "Verdict", "diagnose", "match_lines",
]
__all__ += ["Busy", "Deadline", "ExactlyOnce", "Leaks", "Workers"]
__all__ += ["Cancellation", "Elapsed", "InFlight", "ProcessedOnce", "Responsive"]
__all__ += ["ChildProcesses", "ConcurrentChildren", "PoolParallel", "QueuesDrained", "SharedUpdates"]
__all__ += ["Needs", "Work"]
