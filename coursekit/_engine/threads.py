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

from coursekit._engine import events, wallclock
from coursekit._engine.arguments import check_sleep
from coursekit._engine.causal import Edges, Release
from coursekit._engine.events import Wait
from coursekit._engine.exploration import Schedule
from coursekit._engine.probe import Probe
from coursekit._engine.real import monotonic as real_monotonic
from coursekit._engine.real import process_time as real_process_time
from coursekit._engine.real import sleep as real_sleep
from coursekit._engine.scheduler import BLOCKED, DETACHED, DONE, NS, Fiber, Scheduler, to_ns
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
        sched = VirtualLock.sched
        if sched is not None and sched.detached:
            sched.fiber_of_caller()  # a detached fiber back from its call: wait for a turn before touching state
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
        sched = VirtualLock.sched
        if sched is not None and sched.detached:
            sched.fiber_of_caller()
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
        self.schedule = Schedule.parse(tie)
        self._switches = 0
        self.sched = Scheduler(limit_ns=to_ns(limit_s), on_stuck=self._on_stuck, schedule=self.schedule,
                               on_switch=self._on_switch)
        self.main = self.sched.adopt_current()
        self.edges = Edges(probe)
        """The synchronization edges of the run (``sync`` events): locks here, wake-ups in ``event_loop``."""
        self.created: list[tuple[weakref.ref[threading.Thread], str, str]] = []
        self.sleep_hooks: list[Callable[[float], None]] = []
        """Called with the length of every managed ``sleep`` (asyncio: a ``time.sleep`` that blocks the loop)."""
        self.extra_waits: Callable[[], list[Wait]] | None = None
        """asyncio: which tasks wait, and at which await (the loop's own thread then waits on nothing real)."""

    def use(self, schedule: Schedule) -> None:
        """Run under ``schedule`` (a forked copy of the harness, before the entry point is called)."""
        self.schedule = schedule
        self._switches = 0
        self.sched.use(schedule)

    def _on_switch(self, paused: Fiber, runs: Fiber, step: int, point: str) -> None:
        """An explored schedule preempted ``paused`` for ``runs`` (called inside the scheduler: no turn taken)."""
        self._switches += 1
        if self._switches <= events.MAX_PREEMPTS:
            self.probe.emit(events.PREEMPT, id=paused.wid, to=runs.wid, step=step, point=point,
                            where=self.probe.where(sys._getframe(1)))

    def instrument(self, module: Any) -> None:
        """Under an explored schedule, put preemption points in the student's code (``coursekit._engine.preempt``);
        called once the module is imported, before the entry point runs."""
        self.probe.emit(events.SCHEDULE, spec=self.schedule.spec())
        if not self.schedule.preempts:
            return
        from coursekit._engine import preempt

        codes = preempt.code_objects(module, set(self.probe.student_files) | _code_files(module))
        preempt.install(codes, self.sched.preempt, homes=(vars(module),))

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


def _code_files(module: Any) -> set[str]:
    """The file names code objects of ``module`` carry (as compiled: may differ from the resolved path)."""
    path = getattr(module, "__file__", None)
    return {path} if isinstance(path, str) else set()


def install(probe: Probe, *, tie: str, limit_s: float, stall_s: float, finish: Callable[[int], None],
            watchdog: bool = True) -> ThreadsModel:
    """Patch the process for virtual time.  ``finish(code)`` ends the run (it never returns).  ``watchdog=False``:
    the caller starts it (``start_watchdog``) in each forked copy, so that this process has no thread to fork."""
    model = ThreadsModel(probe, tie=tie, limit_s=limit_s, finish=finish)
    VirtualLock.sched = model.sched
    VirtualLock.edges = model.edges
    probe.clock = lambda: model.sched.now / NS
    probe.context = model.context
    patch_time(model)
    patch_locks()
    patch_thread_class(model)
    patch_excepthook(probe)
    threading.stack_size(THREAD_STACK_BYTES)
    if watchdog:
        start_watchdog(model, stall_s)
    return model


THREAD_STACK_BYTES = 2 * 1024 * 1024
"""Each thread's stack.  Why: a run's memory limit is on address space, and the default stack (8 MiB) let a program
start only about a hundred threads under it, where CPython on an ordinary machine starts thousands.  Only one thread
runs at a time here and Python calls do not deepen the C stack, so 2 MiB (what a thread gets elsewhere by
default: musl, Windows at 1 MiB) is plenty."""


class _Clocks:
    """What the module-level replacements of ``time`` read: the model of this run and the clocks at install."""

    model: ThreadsModel | None = None
    mono0 = wall0 = perf0 = 0.0


def sleep(secs: float) -> None:
    """``time.sleep`` on the virtual clock: block the calling thread until its deadline."""
    model = _Clocks.model
    assert model is not None, "patch_time() first"
    sched, probe = model.sched, model.probe
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


def _now_ns() -> int:
    model = _Clocks.model
    assert model is not None, "patch_time() first"
    return model.sched.now


REAL_TIME_CALLERS = frozenset({"multiprocessing.connection"})
"""Modules whose timeouts wait on real pipes and sockets (``connection.wait``): they read the real clock, or a
poll with a timeout would spin forever on a clock that stands still while it polls."""


def monotonic() -> float:
    if sys._getframe(1).f_globals.get("__name__") in REAL_TIME_CALLERS:
        return real_monotonic()
    return _Clocks.mono0 + _now_ns() / NS


def monotonic_ns() -> int:
    return int(_Clocks.mono0 * NS) + _now_ns()


def perf_counter() -> float:
    return _Clocks.perf0 + _now_ns() / NS


def perf_counter_ns() -> int:
    return int(_Clocks.perf0 * NS) + _now_ns()


def time_() -> float:
    return _Clocks.wall0 + _now_ns() / NS


def time_ns() -> int:
    return int(_Clocks.wall0 * NS) + _now_ns()


def patch_time(model: ThreadsModel) -> None:
    """``sleep`` blocks the calling thread until its deadline on the virtual clock; every clock reads that clock.

    Each replacement is a module-level function named as the original (``wallclock.stand_in``), so that it
    pickles as the original does; the wall-clock readers (``localtime``, ``datetime.now``...) follow ``time.time``.
    """
    _Clocks.model = model
    _Clocks.mono0, _Clocks.wall0, _Clocks.perf0 = time.monotonic(), time.time(), time.perf_counter()
    for name, replacement in (("sleep", sleep), ("monotonic", monotonic), ("monotonic_ns", monotonic_ns),
                              ("perf_counter", perf_counter), ("perf_counter_ns", perf_counter_ns),
                              ("time", time_), ("time_ns", time_ns)):
        setattr(time, name, wallclock.stand_in(getattr(time, name), replacement))
    wallclock.install()


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
        try:
            orig_start(self)
        except BaseException:  # no thread came ("can't start new thread"): its fiber must never get the turn
            sched.abandon(child)
            raise

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


DETACH_AFTER_S = 0.2
"""Real seconds a fiber may sit in one call the scheduler does not know, asleep in the kernel, before its turn
is given to the others (``Scheduler.detach``)."""


def asleep_in_kernel(native_id: int | None) -> bool | None:
    """Whether the OS thread waits in the kernel (not running, not waiting for a CPU); None: cannot tell.

    Why ask the kernel: on a loaded machine a thread can get no CPU for a while, with its frame standing still
    as in a blocking call; taking its turn then would let two fibers run at once.
    """
    if native_id is None:
        return None
    try:
        with open(f"/proc/self/task/{native_id}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    state = stat[stat.rfind(b")") + 2:][:1]
    return state in (b"S", b"D")


def start_watchdog(model: ThreadsModel, stall_s: float) -> None:
    """A real thread that ends busy loops, and takes the turn from a fiber blocked in a call the scheduler
    cannot see.

    A busy loop is seen by the CPU time it burns, not by real time: on a loaded machine a process can get no
    CPU at all for seconds, which is not the student's fault.  A fiber whose frame stands still at one
    instruction, using no CPU, asleep in the kernel (a real ``select``, a pipe, ``input()``: the handler thread of
    ``multiprocessing.pool.ThreadPool`` waits so) is detached after ``DETACH_AFTER_S``: the others go on, and it
    takes a turn again at its next scheduler call.  When everyone waits for detached fibers, or a fiber holds the
    turn without progress, the run is stopped by real time, with a wide margin for the same reason.
    """
    sched, probe = model.sched, model.probe

    def stop(fiber: Fiber) -> None:
        frame = sys._current_frames().get(fiber.ident or -1)
        # every live fiber, main too (main blocked in join: the picture draws it)
        waits = model.fiber_waits([f for f in sched.fibers if f.state != DONE])
        probe.emit(events.PROBLEM, kind=events.STUCK, id=fiber.wid, where=probe.where(frame),
                   detail=f"{stall_s:g}", waits=waits)
        model.finish(0)

    def watchdog() -> None:
        last, since, cpu_since = -1, real_monotonic(), real_process_time()
        spot: tuple[Any, int] | None = None
        spot_since, spot_cpu = since, cpu_since
        while True:
            real_sleep(0.05)
            current = sched.current
            if sched.progress != last or (current is None and not sched.detached):
                last, since, cpu_since, spot = sched.progress, real_monotonic(), real_process_time(), None
                continue
            if current is None:  # everyone waits for fibers out in calls the scheduler does not know
                if real_monotonic() - since > 4 * stall_s:
                    stop(next(f for f in sched.fibers if f.state == DETACHED))
                continue
            frame = sys._current_frames().get(current.ident or -1)
            here = (frame, frame.f_lasti) if frame is not None else None
            if spot is None or here is None or here[0] is not spot[0] or here[1] != spot[1]:
                spot, spot_since, spot_cpu = here, real_monotonic(), real_process_time()
            elif (real_monotonic() - spot_since > DETACH_AFTER_S
                  and real_process_time() - spot_cpu < DETACH_AFTER_S / 4
                  and asleep_in_kernel(current.native) is not False
                  and (asleep_in_kernel(current.native) or real_monotonic() - spot_since > 5 * DETACH_AFTER_S)
                  and sched.detach(current, last)):
                last, since, cpu_since, spot = sched.progress, real_monotonic(), real_process_time(), None
                continue
            del frame, here
            if real_process_time() - cpu_since > stall_s or real_monotonic() - since > 4 * stall_s:
                stop(current)

    _thread.start_new_thread(watchdog, ())


def forbid_processes(probe: Probe, model_name: str) -> None:
    """In a threads or asyncio exercise, starting a process is the mistake itself: report it, refuse it."""
    import multiprocessing.process

    def refuse(*_: Any, **__: Any) -> Any:
        probe.problem(events.PROCESS_IN[model_name], detail="")
        raise RuntimeError(f"this is a {model_name} exercise: start threads or tasks, not processes")

    multiprocessing.process.BaseProcess.start = refuse  # type: ignore[method-assign]
    os.fork = refuse
