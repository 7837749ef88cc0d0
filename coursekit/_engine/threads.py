"""Put ``time``, ``threading`` and ``queue`` on the virtual clock of a ``Scheduler`` (child side only).

Replacing the one lock primitive is enough for ``Condition``, ``Event``, ``Semaphore``, ``Barrier``, ``Timer``,
``queue.Queue`` and ``ThreadPoolExecutor`` to follow, because they are all written in Python on top of it.  The
C ``RLock`` and C ``SimpleQueue`` give way to their pure-Python twins for the same reason.  Locks created before
``install`` (the interpreter's own) stay real, which is what they need.

``install`` puts one patch in place per function, as coverage.py's ``patch.py`` does: ``patch_time``,
``patch_locks``, ``patch_thread_class``, ``patch_excepthook``, ``start_watchdog``.
"""

from __future__ import annotations

import _thread
import os
import queue
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

from coursekit._engine import events
from coursekit._engine.arguments import check_sleep
from coursekit._engine.causal import Edges, Release
from coursekit._engine.events import Wait
from coursekit._engine.probe import Probe
from coursekit._engine.real import monotonic as real_monotonic
from coursekit._engine.real import process_time as real_process_time
from coursekit._engine.real import sleep as real_sleep
from coursekit._engine.scheduler import BLOCKED, DONE, NS, Fiber, Scheduler, to_ns
from coursekit._engine.targets import target_name


class VirtualLock:
    """``threading.Lock`` on the virtual clock: a blocked ``acquire`` hands the baton to another thread."""

    __slots__ = ("_locked", "_waiters", "_rel", "__weakref__")
    sched: Scheduler | None = None  # set by install()
    edges: Edges | None = None  # set by install(): where each release was, for the judge's happens-before

    def __init__(self) -> None:
        self._locked = False
        self._waiters: deque[Fiber] = deque()
        self._rel: Release | None = None

    def _acquired(self) -> bool:
        # Everything every earlier holder did happens before what this one does next: the releases of one lock
        # form a chain, so joining the last one is enough.
        edges = VirtualLock.edges
        if self._rel is not None and edges is not None:
            edges.acquire(self._rel, edges.key(self, "lock"), "lock")
        return True

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not self._locked:
            self._locked = True
            return self._acquired() if self._rel is not None else True
        if not blocking:
            if timeout != -1:
                raise ValueError("can't specify a timeout for a non-blocking call")
            return False
        if timeout is not None and timeout != -1 and timeout < 0:
            raise ValueError("timeout value must be a non-negative number")
        sched = VirtualLock.sched
        me = sched.fiber_of_caller() if sched is not None else None
        if sched is None or me is None or sched.current is not me:
            return self._acquire_unmanaged(timeout)
        deadline = None if timeout is None or timeout == -1 else sched.now + to_ns(timeout)
        while True:
            self._waiters.append(me)
            woken = sched.block(deadline, "lock")
            if not self._locked:
                self._discard(me)
                self._locked = True
                return self._acquired()
            if not woken:
                self._discard(me)
                return False

    def _discard(self, fiber: Fiber) -> None:
        try:
            self._waiters.remove(fiber)
        except ValueError:
            pass

    def _acquire_unmanaged(self, timeout: float) -> bool:
        # A thread the scheduler does not know (the interpreter's own): real time, short polls.
        end = None if timeout is None or timeout == -1 else real_monotonic() + timeout
        while self._locked:
            if end is not None and real_monotonic() >= end:
                return False
            real_sleep(0.0005)
        self._locked = True
        return True

    def release(self) -> None:
        if not self._locked:
            raise RuntimeError("release unlocked lock")
        self._locked = False
        edges = VirtualLock.edges
        if edges is not None:
            self._rel = edges.here()
        sched = VirtualLock.sched
        if self._waiters and sched is not None:
            sched.wake(self._waiters.popleft())

    def locked(self) -> bool:
        return self._locked

    def _at_fork_reinit(self) -> None:
        self._locked = False
        self._waiters = deque()
        self._rel = None

    __enter__ = acquire
    acquire_lock = acquire
    release_lock = release
    locked_lock = locked

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<virtual lock {'locked' if self._locked else 'unlocked'}>"


class ThreadsModel:
    """The scheduler of one run, everything ``install`` patched, and what the harness needs at the end of it."""

    def __init__(self, probe: Probe, *, tie: str, limit_s: float, finish: Callable[[int], None]) -> None:
        self.probe = probe
        self.finish = finish
        self.sched = Scheduler(tie=tie, limit_ns=to_ns(limit_s), on_stuck=self._on_stuck)
        self.main = self.sched.adopt_current()
        self.edges = Edges(probe)
        """The synchronization edges of the run (``sync`` events): locks here, wake-ups in ``event_loop``."""
        self.created: list[tuple[weakref.ref[threading.Thread], str, str]] = []
        self.sleep_hooks: list[Callable[[float], None]] = []
        """Called with the length of every managed ``sleep`` (asyncio: a ``time.sleep`` that blocks the loop)."""
        self.extra_waits: Callable[[], list[Wait]] | None = None
        """asyncio: which tasks wait, and at which await (the loop's own thread then waits on nothing real)."""

    def context(self) -> str:
        fiber = self.sched.fiber_of_caller()
        return fiber.wid if fiber is not None else events.unmanaged_id(_thread.get_ident())

    def alive(self) -> list[threading.Thread]:
        return [f.thread for f in self.sched.fibers if f.thread is not None and f.state != DONE]

    def fiber_waits(self, fibers: list[Fiber]) -> list[Wait]:
        """What each of ``fibers`` is blocked on (or its state), at which student line."""
        frames = sys._current_frames()
        return [self.probe.wait_of(f.wid, f.blocked_on if f.state == BLOCKED else f.state,
                                   frames.get(f.ident) if f.ident is not None else None) for f in fibers]

    def waits(self) -> list[Wait]:
        """For each live thread: what it is blocked on and at which student line (reported when main returns)."""
        return self.fiber_waits([f for f in self.sched.fibers if f.thread is not None and f.state != DONE])

    def _on_stuck(self, kind: str, fibers: list[Fiber]) -> None:
        """The scheduler found a deadlock or passed the time limit: record what everyone waits on, end the run."""
        waits = self.fiber_waits(fibers)
        if self.extra_waits is not None:
            waits = [w for w in waits if w["on"] != "event loop"] + self.extra_waits()
        current = self.sched.current
        self.probe.emit(events.PROBLEM, kind=events.check_problem(kind), id=current.wid if current else "", where="",
                        waits=waits)
        self.finish(0)

    def run_atexit(self) -> None:
        """Run what ``threading._register_atexit`` registered, as ``threading._shutdown`` does at exit.

        Why: ``ThreadPoolExecutor`` stops the idle workers of an executor nobody shut down from such a hook;
        without it the harness's own end-of-run join would wait for them forever and report a deadlock the real
        interpreter never has.
        """
        calls = getattr(threading, "_threading_atexits", None)
        if not calls:
            return
        threading._SHUTTING_DOWN = True  # type: ignore[attr-defined]
        for call in reversed(list(calls)):
            try:
                call()
            except Exception as exc:  # noqa: BLE001 - reported like any crash, the run goes on ending
                self.probe.crash(exc)
        calls.clear()

    def report_unstarted(self) -> None:
        for ref, target, where in self.created:
            thread = ref()
            if thread is not None and getattr(thread, "_ck_fiber", None) is None:
                self.probe.emit(events.UNSTARTED, kind="thread", target=target, where=where, name=thread.name)

    def join_non_daemon(self) -> None:
        """What the interpreter does at exit: wait for non-daemon threads (daemon ones are dropped)."""
        for thread in self.alive():
            if not thread.daemon:
                thread.join()


def install(probe: Probe, *, tie: str, limit_s: float, stall_s: float, finish: Callable[[int], None]) -> ThreadsModel:
    """Patch the process for virtual time.  ``finish(code)`` ends the run (it never returns)."""
    model = ThreadsModel(probe, tie=tie, limit_s=limit_s, finish=finish)
    VirtualLock.sched = model.sched
    VirtualLock.edges = model.edges
    probe.clock = lambda: model.sched.now / NS
    probe.context = model.context
    patch_time(model)
    patch_locks()
    patch_thread_class(model)
    patch_excepthook(probe)
    start_watchdog(model, stall_s)
    return model


def patch_time(model: ThreadsModel) -> None:
    """``sleep`` blocks the calling thread until its deadline on the virtual clock; the clocks read that clock."""
    sched, probe = model.sched, model.probe
    mono0, wall0, perf0 = time.monotonic(), time.time(), time.perf_counter()

    def sleep(secs: float) -> None:
        me = sched.fiber_of_caller()
        if me is None or sched.current is not me:
            return real_sleep(secs)
        check_sleep(secs)
        caller = sys._getframe(1)
        probe.emit(events.SLEEP, d=float(secs), where=probe.where(caller), student=probe.is_student(caller.f_code))
        for hook in model.sleep_hooks:
            hook(secs)
        if secs == 0:
            sched.yield_now()
        else:
            sched.block(sched.now + to_ns(secs), "sleep")

    time.sleep = sleep  # type: ignore[assignment]
    time.monotonic = lambda: mono0 + sched.now / NS
    time.monotonic_ns = lambda: int(mono0 * NS) + sched.now
    time.perf_counter = lambda: perf0 + sched.now / NS
    time.perf_counter_ns = lambda: int(perf0 * NS) + sched.now
    time.time = lambda: wall0 + sched.now / NS
    time.time_ns = lambda: int(wall0 * NS) + sched.now


def patch_locks() -> None:
    """Every lock made from now on is a ``VirtualLock``, and so is everything built on locks."""
    threading.Lock = VirtualLock  # type: ignore[assignment]
    threading._allocate_lock = VirtualLock  # type: ignore[attr-defined]
    threading._CRLock = None  # type: ignore[attr-defined]
    threading._time = time.monotonic  # type: ignore[attr-defined]
    queue.time = time.monotonic  # type: ignore[attr-defined]
    queue.SimpleQueue = queue._PySimpleQueue  # type: ignore[misc,attr-defined]


def patch_thread_class(model: ThreadsModel) -> None:
    """A started ``Thread`` is a fiber of the scheduler: it runs only with the baton, and ``join`` blocks on it."""
    sched, probe = model.sched, model.probe
    Thread = threading.Thread
    orig_init, orig_start, orig_is_alive = Thread.__init__, Thread.start, Thread.is_alive
    orig_bootstrap, orig_join, orig_run = Thread._bootstrap_inner, Thread.join, Thread.run  # type: ignore[attr-defined]

    def __init__(self: threading.Thread, *args: Any, **kwargs: Any) -> None:
        orig_init(self, *args, **kwargs)
        model.created.append((weakref.ref(self), target_name(self, Thread), probe.where(sys._getframe(1))))

    def start(self: threading.Thread) -> None:
        me = sched.fiber_of_caller()
        if me is None or getattr(self, "_ck_fiber", None) is not None:
            return orig_start(self)
        child = sched.new_fiber(self)
        self._ck_fiber = child  # type: ignore[attr-defined]
        probe.emit(
            events.SPAWN, id=child.wid, parent=me.wid, kind="thread", target=target_name(self, Thread),
            name=self.name, daemon=self.daemon, where=probe.where(sys._getframe(1)), phase=probe.phase,
        )
        sched.spawn(child)
        orig_start(self)

    def _bootstrap_inner(self: threading.Thread) -> None:
        fiber: Fiber | None = getattr(self, "_ck_fiber", None)
        if fiber is None:
            orig_bootstrap(self)
            return
        sched.arrive(fiber)
        try:
            orig_bootstrap(self)
        finally:
            probe.emit(events.END, id=fiber.wid, how=getattr(self, "_ck_how", "done"))
            sched.exit_current()

    def join(self: threading.Thread, timeout: float | None = None) -> None:
        fiber: Fiber | None = getattr(self, "_ck_fiber", None)
        me = sched.fiber_of_caller()
        if fiber is None or me is None or fiber is me:
            return orig_join(self, timeout)
        t0 = sched.now
        deadline = None if timeout is None else sched.now + to_ns(max(timeout, 0))
        while fiber.state != DONE:
            fiber.joiners.append(me)
            if not sched.block(deadline, "join"):
                if me in fiber.joiners:
                    fiber.joiners.remove(me)
                break
        done = fiber.state == DONE
        probe.emit(
            events.JOIN, target=fiber.wid, t0=t0 / NS, timeout=timeout, done=done, phase=probe.phase,
            where=probe.where(sys._getframe(1)),
        )
        if done:
            orig_join(self)  # the OS thread is at its very end: a real, brief wait

    def is_alive(self: threading.Thread) -> bool:
        fiber: Fiber | None = getattr(self, "_ck_fiber", None)
        if fiber is None:
            return orig_is_alive(self)
        return fiber.state != DONE

    def run(self: threading.Thread) -> None:
        if getattr(self, "_ck_fiber", None) is None and probe.phase != "setup":
            probe.problem(events.RUN_NOT_START, detail=target_name(self, Thread), where=probe.where(sys._getframe(1)))
        orig_run(self)

    Thread.__init__ = __init__  # type: ignore[method-assign]
    Thread.start = start  # type: ignore[method-assign]
    Thread._bootstrap_inner = _bootstrap_inner  # type: ignore[attr-defined]
    Thread.join = join  # type: ignore[method-assign]
    Thread.is_alive = is_alive  # type: ignore[method-assign]
    Thread.run = run  # type: ignore[method-assign]


def patch_excepthook(probe: Probe) -> None:
    """An exception that ends a thread is a crash event, and the thread ends with ``how="error"``."""

    def excepthook(args: Any) -> None:
        thread = args.thread
        if thread is not None:
            thread._ck_how = "error"
        if args.exc_value is not None and not isinstance(args.exc_value, SystemExit):
            probe.crash(args.exc_value)
            print(f"Exception in thread {getattr(thread, 'name', '?')}: {args.exc_type.__name__}: "
                  f"{args.exc_value}", file=sys.stderr)

    threading.excepthook = excepthook


def start_watchdog(model: ThreadsModel, stall_s: float) -> None:
    """A real thread that ends busy loops and blocking calls the scheduler cannot see.

    A busy loop is seen by the CPU time it burns, not by real time: on a loaded machine a process can get no
    CPU at all for seconds, which is not the student's fault.  A call that blocks without using CPU (one the
    scheduler cannot see) is caught by real time, with a wider margin for the same reason.
    """
    sched, probe = model.sched, model.probe

    def watchdog() -> None:
        last, since, cpu_since = -1, real_monotonic(), real_process_time()
        while True:
            real_sleep(0.05)
            if sched.progress != last or sched.current is None:
                last, since, cpu_since = sched.progress, real_monotonic(), real_process_time()
                continue
            if real_process_time() - cpu_since > stall_s or real_monotonic() - since > 4 * stall_s:
                fiber = sched.current
                frame = sys._current_frames().get(fiber.ident or -1)
                # every live fiber, main too (main blocked in join: the picture draws it)
                waits = model.fiber_waits([f for f in sched.fibers if f.state != DONE])
                probe.emit(events.PROBLEM, kind=events.STUCK, id=fiber.wid, where=probe.where(frame),
                           detail=f"{stall_s:g}", waits=waits)
                model.finish(0)

    _thread.start_new_thread(watchdog, ())


def forbid_processes(probe: Probe, model_name: str) -> None:
    """In a threads or asyncio exercise, starting a process is the mistake itself: report it, refuse it."""
    import multiprocessing.process

    def refuse(*_: Any, **__: Any) -> Any:
        probe.problem(events.PROCESS_IN[model_name], detail="")
        raise RuntimeError(f"this is a {model_name} exercise: start threads or tasks, not processes")

    multiprocessing.process.BaseProcess.start = refuse  # type: ignore[method-assign]
    os.fork = refuse
