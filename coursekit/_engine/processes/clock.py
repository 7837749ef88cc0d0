"""Logical time for a process tree: each thread's clock and Lamport counter, its context id, the run's state.

Each thread of each process keeps a *logical* clock: ``sleep(d)`` adds ``d``; a thread or process starts at its
starter's time; receiving a message moves the clock to the time it was sent (``merge``).  Inside a pool call
(``current_task()`` set), times are relative to the call's start, and the parent places the call later.

``RunState`` holds what the rest of the processes engine shares about this process's part of the run (which
probe, whether this is the main program, how to stop, the backstop of real waits, the pools and processes
started here).  There is one, ``run``; a forked child inherits a copy, a spawned child builds its own.
"""

from __future__ import annotations

import multiprocessing.process
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from coursekit._engine import events
from coursekit._engine.probe import Probe

if TYPE_CHECKING:
    from coursekit._engine.processes.pools import VirtualPool

_STDLIB_HELPERS = ("multiprocessing", "concurrent", "threading", "asyncio", "selectors", "queue", "subprocess")


def is_helper_module(name: str) -> bool:
    """Whether ``name`` is one of the standard library's concurrency modules (whole names: a student's module
    called ``queue_workers`` is not ``queue``)."""
    return name.split(".", 1)[0] in _STDLIB_HELPERS


@dataclass
class RunState:
    """This process's part of the run."""

    probe: Probe | None = None
    root: bool = False
    """Whether this process is the main program (the harness's own), not a child of it."""
    finish: Callable[[int], None] | None = None
    """How the main program ends the run (the harness's ``finish``); children take their process group down."""
    stall_s: float = 5.0
    """Real seconds (of CPU time, or of a still tree) that mean no progress: a busy loop or a deadlock."""
    grace: float = 60.0
    """The backstop, in real seconds, of the harness's own waits for a real event that logical time needs (a
    child really ending before a timed join decides, a pool call's duration, a child passing a kill's moment).
    Those waits end as soon as the event happens or the process tree has settled (nothing can move any more);
    the backstop only bounds a tree that keeps running, which the wall-clock limit stops anyway.  A short
    backstop made verdicts depend on machine load: under load, a child could need more than 5 s to finish."""
    real_waits: int = 0
    """How many such waits are under way (the watchdog never calls them a stall)."""
    watchdog: int | None = None
    """The pid of the process whose watchdog thread runs (a forked child starts its own)."""
    pools: list[VirtualPool] = field(default_factory=list)
    started: list[multiprocessing.process.BaseProcess] = field(default_factory=list)
    """Every student process started here (``active_children()`` forgets ones that really ended)."""
    threads: int = 0
    """How many of the program's threads were started here."""
    follows_forks: bool = False
    """Whether this interpreter's forks put themselves on the run's list of processes (``watchdog.join_tree``)."""


run = RunState()
_local = threading.local()


def probe() -> Probe:
    """The probe of this process (installed: the engine runs only after ``lifecycle.install``)."""
    if run.probe is None:
        raise RuntimeError("the processes engine is used before lifecycle.install() gave it a probe")
    return run.probe


# -- the clock and the Lamport counter of the calling thread ---------------------------------------------------
def clock() -> float:
    return cast(float, getattr(_local, "t", 0.0))


def set_clock(t: float) -> None:
    _local.t = t


def advance_to(t: float) -> None:
    if t > clock():
        _local.t = t


def lamport() -> int:
    """This thread's Lamport counter: it orders events that share a logical time along cause and effect."""
    return cast(int, getattr(_local, "lc", 0))


def set_lamport(lc: int) -> None:
    _local.lc = lc


def tick() -> int:
    _local.lc = lamport() + 1
    return cast(int, _local.lc)


def merge(t: float | None, lc: int | None) -> None:
    """Receive a message stamped ``(t, lc)``: happen no earlier than it was sent (Lamport's rule).

    Inside a pool call, times are relative to the call's start, so only the counter is merged there.
    """
    if t is not None and current_task() is None:
        advance_to(t)
    if lc is not None and lc > lamport():
        _local.lc = lc


def current_task() -> str | None:
    """The uid of the pool call this thread is running (``None`` outside pool calls)."""
    return cast("str | None", getattr(_local, "task", None))


def set_task(uid: str | None) -> None:
    _local.task = uid


def task_field() -> dict[str, str]:
    """``{"task": uid}`` inside a pool call, for the events it emits (their times are relative to it)."""
    task = current_task()
    return {"task": task} if task is not None else {}


# -- context ids ------------------------------------------------------------------------------------------------
def context_of_main() -> str:
    """The id of this process's main thread: ``main`` in the main program, ``p:name`` in a child."""
    return events.MAIN if run.root else process_context(multiprocessing.process.current_process())


def process_context(proc: multiprocessing.process.BaseProcess) -> str:
    """The id of process ``proc`` (by its place in the tree, never by its name alone: names may repeat)."""
    return events.process_id(proc.name, tuple(getattr(proc, "_identity", ()) or ()))


def context() -> str:
    """The id of the calling thread (or of the pool call it runs)."""
    task = current_task()
    if task is not None:
        return events.pool_call_id(task)
    proc = multiprocessing.process.current_process()
    base = events.MAIN if proc.name == "MainProcess" and run.root else process_context(proc)
    if threading.current_thread() is threading.main_thread():
        return base
    return events.thread_id(threading.current_thread().name, base)
