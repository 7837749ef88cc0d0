"""Busy loops and deadlocks in a process tree, seen from ``/proc`` (Linux), and the harness's own real waits.

Logical time cannot tell a slow process from a stuck one, so progress is measured in two real quantities:

* a process that burns ``stall_s`` seconds of CPU time without a single event is spinning (a busy loop); CPU
  time, unlike wall-clock time, does not stretch when the machine is loaded;
* (main program only) when no process of the tree has written an event, the whole tree has used almost no CPU,
  and no thread of it was ever seen runnable for ``stall_s`` real seconds, every process is blocked: a deadlock.
  When the arbiter's board shows every thread waiting for something no thread will do, a short stillness
  (``BOARD_HOLD``) confirms it: the board says the deadlock, the stillness says nothing is still in flight.

A run that makes progress, however slowly, writes events or uses CPU, and is never stopped.  The harness's own
waits on real time (``wait_real``, ``RealWait``) are never a stall, and end early once the tree has settled
(``Quiescence``).  Everything that reads ``/proc`` is here.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from coursekit._engine import events, real
from coursekit._engine.probe import Probe
from coursekit._engine.processes.clock import context_of_main, probe, run
from coursekit._engine.processes.peers import board, progress_of, waiting_tids


class RealWait:
    """Marks a wait on real time that the harness does on purpose (a grace period), so it is never a stall."""

    def __enter__(self) -> None:
        run.real_waits += 1

    def __exit__(self, *exc: object) -> None:
        run.real_waits -= 1


def wait_real(done: Callable[[], bool], step: Callable[[], Any]) -> None:
    """Wait (by calling ``step``, a short real wait) until ``done()``, the tree settles, or the backstop."""
    deadline = real.monotonic() + run.grace
    quiet = Quiescence()
    with RealWait():
        while not done() and real.monotonic() < deadline and not quiet.settled():
            step()


class Quiescence:
    """Whether the process tree has settled: no thread runnable (but the caller) and no event written, for a
    while.  A child blocked for good (waiting on a queue nobody will fill) never gets past a kill's moment, and
    waiting the whole grace period for it would only cost real time: once nothing in the tree can move, nothing
    more will happen before the kill either."""

    HOLD = 0.25  # real seconds of stillness

    def __init__(self) -> None:
        self.mark: tuple[int, bool] | None = None
        self.since = real.monotonic()

    def settled(self) -> bool:
        mark = (trace_size(probe().writer.directory), tree_runnable(threading.get_native_id(), waiting_tids()))
        if mark[1] or mark != self.mark:
            self.mark, self.since = mark, real.monotonic()
            return False
        return real.monotonic() - self.since >= self.HOLD


BOARD_HOLD = 0.6
"""Real seconds of stillness after which a still tree is a deadlock when, besides, the arbiter's board shows every
thread waiting for something no thread of the tree will do (``arbiter.all_blocked``): then the stillness only
confirms what logical time already says (nothing in flight, no process starting).  Otherwise the tree must stay
still for ``stall_s``: a thread may be out in a call the board does not see."""


def still_moving() -> bool:
    """Whether any thread of the tree but the caller (and those only polling the board for their turn) is
    running or runnable now."""
    return tree_runnable(threading.get_native_id(), waiting_tids())


def start_watchdog() -> None:
    """One watchdog thread per process (a raw thread: it is no part of the program)."""
    if run.watchdog == os.getpid():
        return
    run.watchdog = os.getpid()
    import _thread

    _thread.start_new_thread(_watch, ())


def _watch() -> None:
    the_probe = probe()
    stall = run.stall_s
    me = os.getpid()
    last_count, cpu0 = -1, time.process_time()
    tree_mark: tuple[int, float | None] | None = None
    tree_since = real.monotonic()
    while run.watchdog == me == os.getpid():
        real.sleep(0.2)
        count = the_probe.writer.count
        if count != last_count:
            last_count, cpu0 = count, time.process_time()
        elif time.process_time() - cpu0 >= stall:
            where, on, _ = main_thread_position(the_probe)
            the_probe.problem(events.STUCK, detail=f"{stall:g} s of CPU time without progress", where=where, on=on,
                              t=max(progress_of(me), 0.0), id=context_of_main())
            stop_run()
            return
        if not run.root:
            continue
        # Cheap first: while the trace grows, nothing else is looked at.  A thread that is runnable is not
        # blocked, only waiting for a CPU: on a loaded machine a correct run can get very little CPU for a
        # while, but its threads are then runnable, never all asleep.
        size = trace_size(the_probe.writer.directory)
        if tree_mark is None or size != tree_mark[0] or run.real_waits > 0:
            tree_mark, tree_since = (size, None), real.monotonic()
            continue
        cpu = tree_cpu()
        if tree_mark[1] is None or cpu - tree_mark[1] > 0.05 * stall \
                or tree_runnable(threading.get_native_id(), waiting_tids()):
            tree_mark, tree_since = (size, cpu), real.monotonic()
        elif real.monotonic() - tree_since >= (BOARD_HOLD if _board_blocked() else stall):
            where, on, code = main_thread_position(the_probe)
            the_probe.problem(events.DEADLOCK, detail="every process is waiting", where=where,
                              t=max(progress_of(me), 0.0), id=context_of_main(),
                              waits=[events.wait(context_of_main(), on, where, code)])
            stop_run()
            return


def _board_blocked() -> bool:
    from coursekit._engine.processes.arbiter import all_blocked  # (the arbiter is built on this module)

    return all_blocked()


def main_thread_position(probe: Probe) -> tuple[str, str, str]:
    """Where the main thread is in the student's code, the call it is inside (``join()``, ``get()``...), and
    the student's line there, as written (what a message quotes)."""
    frame = sys._current_frames().get(threading.main_thread().ident or 0)
    code = probe.code_at(frame)
    inner = None
    while frame is not None:
        if probe.is_student(frame.f_code):
            return probe.where(frame), f"{inner.f_code.co_name}()" if inner is not None else "a loop", code
        inner, frame = frame, frame.f_back
    return "", "a call", code


def trace_size(directory: str) -> int:
    """Total size of the run's trace files (they grow with every event of the tree)."""
    size = 0
    try:
        for entry in os.listdir(directory):
            if entry.endswith(".jsonl"):
                size += os.path.getsize(os.path.join(directory, entry))
    except OSError:
        pass
    return size


def tree_cpu() -> float:
    """Total CPU seconds of the run's processes (a child that is still starting up, under load, has written
    nothing yet but is using CPU)."""
    tick = os.sysconf("SC_CLK_TCK")
    tree, stats = _process_tree()
    return sum((int(stats[pid][11]) + int(stats[pid][12])) / tick for pid in tree if pid in stats)


def root_pid() -> int:
    """The main program's pid: the whole run is its tree (a child asks about its siblings too)."""
    try:
        return int(os.environ.get("COURSEKIT_ROOT_PID", ""))
    except ValueError:
        return os.getpid()


# -- the run's processes ----------------------------------------------------------------------------------
# Every process of a run puts itself on a list in the board's folder (``procs/<pid>.<start time>``): a forked
# child as it forks (``os.register_at_fork``), a spawned interpreter as the engine installs itself, and the
# starter of a spawned child as soon as it has its pid (the child may need a while to boot, under load).
#
# Why: the tree used to be found by parent pids, reading the stat file of every process on the machine several
# times a second.  With a few hundred processes on the machine, those reads cost the main program more CPU than
# its stillness allows, so a deadlock went unseen, and then the watchdog's own CPU counted as a busy loop: the
# same program was a deadlock on one machine and "stuck" on a busier one.  Now what is read grows with the run
# only.  The start time tells a listed process from a later one that reuses its pid.
_STAT_START = 19
"""Index of the start time among the fields of ``/proc/<pid>/stat`` after the name (field 22)."""


def _stat(pid: int) -> list[bytes] | None:
    try:
        fields = real.read_file(f"/proc/{pid}/stat").rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields if len(fields) > _STAT_START else None


def _procs_folder() -> str:
    return os.path.join(board(), "procs")


def make_process_list() -> None:
    """The main program's list of the run's processes starts empty (it is never on it: it is the root)."""
    try:
        os.makedirs(_procs_folder(), exist_ok=True)
    except OSError:
        pass


def join_tree(pid: int | None = None) -> None:
    """Put process ``pid`` (the caller, by default) on the run's list of processes."""
    if run.probe is None:
        return
    pid = os.getpid() if pid is None else pid
    fields = _stat(pid)
    if fields is None:
        return  # (already gone)
    try:
        os.close(os.open(os.path.join(_procs_folder(), f"{pid}.{fields[_STAT_START].decode()}"),
                         os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError:
        pass  # no list: not in a run's tree (a copy of the harness before its tree began)


def follow_forks() -> None:
    """Every fork of this interpreter puts its child on the run's list, before the child does anything else."""
    if not run.follows_forks and hasattr(os, "register_at_fork"):
        run.follows_forks = True
        os.register_at_fork(after_in_child=join_tree)


def _listed() -> list[tuple[int, bytes]] | None:
    """The run's processes but the root, with their start times (``None``: this run keeps no list)."""
    try:
        names = os.listdir(_procs_folder())
    except (OSError, RuntimeError):
        return None
    out = []
    for name in names:
        pid, _, start = name.partition(".")
        if pid.isdigit():
            out.append((int(pid), start.encode()))
    return out


def _process_tree() -> tuple[set[int], dict[int, list[bytes]]]:
    """The run's processes (those still there), with each process's ``/proc/<pid>/stat`` fields after the name."""
    listed = _listed()
    if listed is None:
        return _tree_by_parents()
    stats: dict[int, list[bytes]] = {}
    root = root_pid()
    for pid, start in [(root, None), *listed]:
        fields = _stat(pid)
        if fields is not None and (start is None or fields[_STAT_START] == start):
            stats[pid] = fields
    return set(stats), stats


def _tree_by_parents() -> tuple[set[int], dict[int, list[bytes]]]:
    """Without a list: the main program and its descendants (this process and its descendants where the main
    program is unknown), found from every process's parent."""
    stats: dict[int, list[bytes]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = _stat(int(name))
            if fields is not None:
                stats[int(name)] = fields
    parents = {pid: int(fields[1]) for pid, fields in stats.items()}
    root = root_pid()
    tree, grew = {root if root in stats else os.getpid()}, True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree, stats


def tree_runnable(exclude_tid: int, waiting: set[int] | frozenset[int] = frozenset()) -> bool:
    """Whether any thread of the run (but ``exclude_tid`` and the ``waiting`` ones, which only poll the arbiter's
    board for their turn) is running or runnable."""
    tree, _ = _process_tree()
    for pid in tree:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            if int(tid) == exclude_tid or int(tid) in waiting:
                continue
            try:
                state = real.read_file(f"/proc/{pid}/task/{tid}/stat").rsplit(b")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state in (b"R", b"D"):
                return True
    return False


def stop_run() -> None:
    """End the whole run now: the main program ends it itself; a child takes its process group down."""
    if run.root and run.finish is not None:
        run.finish(0)
    import signal

    try:
        os.killpg(os.getpgid(0), signal.SIGKILL)
    except OSError:
        os._exit(1)
