"""Processes on logical time (child side, loaded in every process of the tree).

One scheduler cannot hand a baton between processes that block in C (pipes, ``waitpid``), so each thread of
each process keeps a *logical* clock instead: ``sleep(d)`` adds ``d`` and returns at once; a process or thread
starts at its starter's time; ``join`` returns at the later of the two ends.  The timeline then depends only on
the program, never on how fast processes really start.

Pools need one more idea.  Which pool worker takes a task is decided by real-time races, so a task's *worker*
is not part of the model: each submitted call is timed on its own (``Timed``), and the parent places it on the
pool's ``k`` slots in submission order, as an ideal pool would (``VirtualPool``).  Events a task emits carry its
``task`` id and a time relative to its start; the judge shifts them once the schedule is known.
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.pool
import multiprocessing.process
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, NoReturn, cast

from coursekit._engine.probe import Probe
from coursekit._engine.trace import TraceWriter

real_sleep = time.sleep
real_monotonic = time.monotonic
_STDLIB_HELPERS = ("multiprocessing", "concurrent", "threading", "asyncio", "selectors", "queue", "subprocess")


def is_helper_module(name: str) -> bool:
    """Whether ``name`` is one of the standard library's concurrency modules (whole names: a student's module
    called ``queue_workers`` is not ``queue``)."""
    return name.split(".", 1)[0] in _STDLIB_HELPERS

_local = threading.local()
_state: dict[str, Any] = {"probe": None, "grace": 60.0}
# ``grace``: the backstop, in real seconds, of the harness's own waits for a real event that logical time needs
# (a child really ending before a timed join decides, a pool call's duration, a child passing a kill's moment).
# Those waits end as soon as the event happens or the process tree has settled (nothing can move any more); the
# backstop only bounds a tree that keeps running, which the wall-clock limit stops anyway. A short backstop
# made verdicts depend on machine load: under load, a child could need more than 5 s to really finish.


def clock() -> float:
    return getattr(_local, "t", 0.0)


def _set_clock(t: float) -> None:
    _local.t = t


def _advance_to(t: float) -> None:
    if t > clock():
        _local.t = t


def lamport() -> int:
    """This thread's Lamport counter: it orders events that share a logical time along cause and effect."""
    return getattr(_local, "lc", 0)


def _tick() -> int:
    _local.lc = lamport() + 1
    return cast(int, _local.lc)


def _merge(t: float | None, lc: int | None) -> None:
    """Receive a message stamped ``(t, lc)``: happen no earlier than it was sent (Lamport's rule).

    Inside a pool call, times are relative to the call's start, so only the counter is merged there.
    """
    if t is not None and getattr(_local, "task", None) is None:
        _advance_to(t)
    if lc is not None and lc > lamport():
        _local.lc = lc


def _probe() -> Probe:
    probe: Probe | None = _state["probe"]
    assert probe is not None
    return probe


def context() -> str:
    task = getattr(_local, "task", None)
    if task is not None:
        return f"task:{task}"
    proc = multiprocessing.process.current_process()
    thread = threading.current_thread()
    base = "main" if proc.name == "MainProcess" and _state.get("root") else f"p:{proc.name}"
    if thread is threading.main_thread():
        return base
    return f"{'' if base == 'main' else base + '/'}t:{thread.name}"


def _read_end_event(pid: int | None) -> dict[str, Any] | None:
    """The ``end`` event of a child process, from its own trace file (``None`` if it never said)."""
    if pid is None:
        return None
    path = os.path.join(_probe().writer.directory, f"{pid}.jsonl")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    import json

    for raw in reversed(data.splitlines()):
        try:
            event: dict[str, Any] = json.loads(raw)
        except ValueError:
            continue
        if event.get("e") == "end" and event.get("pid") == pid:
            return event
    return None


def _read_end(pid: int | None) -> float | None:
    """The logical end of a child process (``None`` if it never said)."""
    event = _read_end_event(pid)
    return None if event is None else float(event["t"])


def _read_end_lc(pid: int | None) -> int | None:
    event = _read_end_event(pid)
    return None if event is None else event.get("lc")


# -- timed pool calls ---------------------------------------------------------------------------------------
class TimedResult:
    def __init__(self, value: Any, uid: str, duration: float) -> None:
        self.value, self.uid, self.duration = value, uid, duration


class Timed:
    """A pool call that measures itself: run at relative time 0, report how long it took (logically)."""

    def __init__(self, fn: Callable[..., Any], uid: str) -> None:
        self.fn, self.uid = fn, uid

    def __call__(self, *args: Any, **kwargs: Any) -> TimedResult:
        saved = clock()
        _set_clock(0.0)
        _local.task = self.uid
        probe = _probe()
        probe.emit("task-begin", task=self.uid, pid=os.getpid(), root=bool(_state.get("root")))
        cpu0 = time.thread_time()
        try:
            value = self.fn(*args, **kwargs)
        except BaseException as exc:
            exc._ck_timed = (self.uid, clock())  # type: ignore[attr-defined]
            probe.crash(exc, task=self.uid)
            raise
        finally:
            duration = clock()
            # CPU time is measured, not logical: it only tells a CPU-bound call from an empty one (> 0 or not)
            probe.emit("task-end", task=self.uid, pid=os.getpid(), cpu=round(time.thread_time() - cpu0, 6))
            _local.task = None
            _set_clock(saved + duration)
        return TimedResult(value, self.uid, duration)


class VirtualPool:
    """The ideal schedule of one pool: ``slots`` workers take tasks in submission order."""

    _ids = itertools.count(1)

    def __init__(self, slots: int, kind: str) -> None:
        self.pid = os.getpid()
        self.name = f"{kind}{next(VirtualPool._ids)}"
        self.slots = max(1, slots)
        self.tasks: list[list[Any]] = []  # [uid, submit, duration | None, target]
        self.cond = threading.Condition(threading.Lock())
        self._n = itertools.count(1)
        self.killed_at: float | None = None
        self.collected: set[str] = set()  # calls whose results the program has received

    def collect(self, uids: Any) -> None:
        with self.cond:
            self.collected.update(uids)

    def submit(self, fn: Callable[..., Any], target: str) -> Timed:
        uid = f"{self.pid}.{self.name}.{next(self._n)}"
        with self.cond:
            self.tasks.append([uid, clock(), None, target])
        with self.cond:
            after = sorted(self.collected)
        # ``after``: the calls already collected when this one was submitted (it cannot run alongside them)
        _probe().emit("task", task=uid, pool=self.name, submit=clock(), target=target, slots=self.slots, after=after)
        return Timed(fn, uid)

    def finished(self, uid: str, duration: float) -> None:
        with self.cond:
            for task in self.tasks:
                if task[0] == uid:
                    task[2] = duration
            self.cond.notify_all()

    def schedule(self, upto: str | None = None, wait: bool = True) -> dict[str, tuple[float, float]]:
        """Start and end of each task up to ``upto`` (all by default); waits for their durations."""
        end = real_monotonic() + _state["grace"]
        quiet = _Quiescence()
        with self.cond, _RealWait():
            while True:
                index = len(self.tasks) if upto is None else [t[0] for t in self.tasks].index(upto) + 1
                unknown = [t for t in self.tasks[:index] if t[2] is None]
                if not unknown or not wait or real_monotonic() > end or quiet.settled():
                    break
                self.cond.wait(0.05)
            free = [0.0] * self.slots
            out = {}
            for uid, submit, duration, _ in self.tasks[:index]:
                if duration is None:
                    break
                slot = min(range(self.slots), key=lambda i: (free[i], i))
                start = max(submit, free[slot])
                free[slot] = start + duration
                out[uid] = (start, start + duration)
            return out

    def emit_schedule(self) -> None:
        for uid, (start, stop) in self.schedule(wait=False).items():
            _probe().emit("sched", task=uid, start=start, end=stop, killed=self.killed_at)


_pools: list[VirtualPool] = []
_started: list[Any] = []  # every student process started here (active_children() forgets ones that really ended)


def _pool_of(uid: str) -> VirtualPool | None:
    """The pool a call belongs to, from its id (a result can arrive before its handle knows its pool)."""
    pid, name, _ = uid.split(".")
    for pool in _pools:
        if pool.name == name and str(pool.pid) == pid:
            return pool
    return None


def _unwrap(value: Any, pool: VirtualPool | None) -> Any:
    if isinstance(value, TimedResult):
        pool = pool or _pool_of(value.uid)
        if pool is not None:
            pool.finished(value.uid, value.duration)
        return value.value
    timed = getattr(value, "_ck_timed", None)
    pool = pool or (_pool_of(timed[0]) if timed is not None else None)
    if timed is not None and pool is not None:
        pool.finished(*timed)
    return value


def _target_name(fn: Any) -> str:
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__


# -- install -------------------------------------------------------------------------------------------------
def install(probe: Probe, *, root: bool, finish: Callable[[int], None] | None = None,
            stall_s: float | None = None) -> None:
    _state["probe"] = probe
    _state["root"] = root
    _state["finish"] = finish
    if stall_s is not None:
        os.environ["COURSEKIT_STALL_S"] = repr(float(stall_s))
    _state["stall_s"] = float(os.environ.get("COURSEKIT_STALL_S", "5"))
    probe.clock = clock
    probe.context = context
    if root:  # from here on, every process this one starts is observed (see _engine/boot/sitecustomize.py)
        boot = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "boot")
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (boot, os.environ.get("PYTHONPATH", "")) if p)
        os.environ["COURSEKIT_PROCESS_TRACE"] = probe.writer.directory
        os.environ["COURSEKIT_STUDENT_FILES"] = os.pathsep.join(sorted(probe.student_files))

    def sleep(secs: float) -> None:
        caller = sys._getframe(1)
        if is_helper_module(caller.f_globals.get("__name__", "")):
            return real_sleep(secs)
        if isinstance(secs, bool) or not isinstance(secs, (int, float)):
            raise TypeError(f"'{type(secs).__name__}' object cannot be interpreted as an integer or float")
        if secs < 0:
            raise ValueError("sleep length must be non-negative")
        probe.emit("sleep", d=float(secs), where=probe.where(caller), student=probe.is_student(caller.f_code),
                   **_task_field())
        _set_clock(clock() + secs)
        real_sleep(0)

    time.sleep = sleep  # type: ignore[assignment]
    # The standard library's own timeouts (connection.wait, Pool's handler threads) need real time: a logical
    # clock that stands still while they poll would make them wait forever.  Student code reads logical time.
    for name in ("monotonic", "perf_counter", "time"):
        setattr(time, name, _logical_reader(getattr(time, name)))

    _patch_threads(probe)
    _patch_processes(probe)
    _patch_pools(probe)
    from coursekit._engine.processes import messages

    messages.install()
    if root:
        _start_watchdog()


def _logical_reader(real: Callable[[], float]) -> Callable[[], float]:
    base = real()

    def read() -> float:
        if is_helper_module(sys._getframe(1).f_globals.get("__name__", "")):
            return real()
        return base + clock()

    return read


def _task_field() -> dict[str, str]:
    task = getattr(_local, "task", None)
    return {"task": task} if task is not None else {}


def _patch_threads(probe: Probe) -> None:
    Thread = threading.Thread
    orig_start, orig_boot, orig_join, orig_alive = Thread.start, Thread._bootstrap_inner, Thread.join, Thread.is_alive  # type: ignore[attr-defined]

    def start(self: threading.Thread) -> None:
        self._ck_t0 = clock()  # type: ignore[attr-defined]
        self._ck_lc0 = _tick()  # type: ignore[attr-defined]
        self._ck_task = getattr(_local, "task", None)  # type: ignore[attr-defined]
        internal = getattr(self._target, "__module__", "") or ""  # type: ignore[attr-defined]
        if not is_helper_module(internal):
            parent = context()
            base = parent.split("/")[0] if parent != "main" else ""
            wid = f"{base + '/' if base.startswith('p:') else ''}t:{self.name}"
            self._ck_id = wid  # type: ignore[attr-defined]
            from coursekit._engine.threads import target_name

            probe.emit("spawn", id=wid, parent=parent, kind="thread", target=target_name(self), name=self.name,
                       daemon=self.daemon, phase=probe.phase, where=probe.where(sys._getframe(1)))
        orig_start(self)

    def _bootstrap_inner(self: threading.Thread) -> None:
        _set_clock(getattr(self, "_ck_t0", 0.0))
        _local.lc = getattr(self, "_ck_lc0", 0)
        _local.task = getattr(self, "_ck_task", None)
        try:
            orig_boot(self)
        finally:
            self._ck_end = clock()  # type: ignore[attr-defined]
            self._ck_end_lc = _tick()  # type: ignore[attr-defined]
            if getattr(self, "_ck_id", None):
                probe.emit("end", id=self._ck_id, how="done")  # type: ignore[attr-defined]

    def join(self: threading.Thread, timeout: float | None = None) -> None:
        t0 = clock()
        if timeout is None:
            orig_join(self, None)
        else:
            _wait_real(lambda: not orig_alive(self), lambda: orig_join(self, 0.02))
        end = getattr(self, "_ck_end", None)
        done = end is not None and (timeout is None or end <= t0 + max(timeout, 0))
        if getattr(self, "_ck_id", None):
            probe.emit("join", target=self._ck_id, t0=t0, timeout=timeout, done=done, phase=probe.phase,  # type: ignore[attr-defined]
                       where=probe.where(sys._getframe(1)))
        if done:
            _advance_to(end)  # type: ignore[arg-type]
            _merge(None, getattr(self, "_ck_end_lc", None))
        elif timeout is not None:
            _advance_to(t0 + max(timeout, 0))

    def is_alive(self: threading.Thread) -> bool:
        end: float | None = getattr(self, "_ck_end", None)
        if end is not None:
            return end > clock()
        return orig_alive(self)

    Thread.start = start  # type: ignore[method-assign]
    Thread._bootstrap_inner = _bootstrap_inner  # type: ignore[attr-defined]
    Thread.join = join  # type: ignore[method-assign]
    Thread.is_alive = is_alive  # type: ignore[method-assign]


def _patch_processes(probe: Probe) -> None:
    BP = multiprocessing.process.BaseProcess
    orig_start, orig_boot, orig_join = BP.start, BP._bootstrap, BP.join  # type: ignore[attr-defined]
    orig_terminate, orig_kill, orig_alive = BP.terminate, BP.kill, BP.is_alive

    def start(self: Any) -> None:
        if sys._getframe(1).f_globals.get("__name__", "").startswith(("multiprocessing.pool", "concurrent.futures")):
            self._ck_internal = True  # a pool's own worker: its calls are observed as tasks instead
        self._ck_t0 = clock()
        self._ck_lc0 = _tick()
        self._ck_task = getattr(_local, "task", None)
        parent = context()
        target = _process_target(self)  # before start(), which forgets the target
        orig_start(self)
        if not getattr(self, "_ck_internal", False):
            _started.append(self)
            probe.emit("spawn", id=f"p:{self.name}", parent=parent, kind="process", target=target,
                       name=self.name, daemon=self.daemon, pid=self.pid, phase=probe.phase, t=round(self._ck_t0, 9),
                       where=probe.where(sys._getframe(1)))

    def _bootstrap(self: Any, *args: Any, **kwargs: Any) -> int:
        _set_clock(getattr(self, "_ck_t0", 0.0))
        _local.lc = getattr(self, "_ck_lc0", 0)
        _local.task = None
        _state["root"] = False
        _start_watchdog()
        code = 1
        run = self.run

        def observed_run() -> None:
            try:
                run()
            except BaseException as exc:
                if not (isinstance(exc, SystemExit) and exc.code in (0, None)):
                    probe.crash(exc)
                raise

        self.run = observed_run
        real_exit = os._exit
        ended = False

        def end(code: int) -> None:
            nonlocal ended
            if not ended:
                ended = True
                for stream in (sys.stdout, sys.stderr):
                    drain = getattr(stream, "drain", None)
                    if drain is not None:
                        drain()
                probe.emit("end", id=f"p:{self.name}", how="done" if code == 0 else "error", pid=os.getpid(),
                           code=code, t=clock(), lc=_tick())

        def exit_now(code: int) -> NoReturn:  # os._exit() in the child's own code skips the ``finally`` below
            end(code)
            real_exit(code)

        os._exit = exit_now  # type: ignore[assignment]  # this process's own copy of ``os`` (forked or spawned), not the parent's
        try:
            code = cast(int, orig_boot(self, *args, **kwargs))
        finally:
            end(code)
        return code

    def virtual_end(self: Any) -> float | None:
        if not hasattr(self, "_ck_end") and orig_alive(self) is False:
            said = _read_end(self.pid)
            if said is None:  # it died without ending (os._exit, a signal, a limit): it was last seen here
                seen = _progress_of(self.pid)
                said = seen if seen >= 0 else None
            self._ck_end = said
        end: float | None = getattr(self, "_ck_end", None)
        killed: float | None = getattr(self, "_ck_killed_at", None)
        if killed is not None:  # killed at that moment of logical time, however far it really got
            return killed if end is None else min(end, killed)
        return end

    def join(self: Any, timeout: float | None = None) -> None:
        if getattr(self, "_ck_internal", False):
            # A pool's own worker: its logical clock sums whichever calls it really happened to take (a real-time
            # race), so it says nothing; the pool's calls are timed by VirtualPool instead.
            return orig_join(self, timeout)
        t0 = clock()
        if timeout is None:
            orig_join(self, None)
        else:  # until it has ended, or is seen past the deadline (then it was alive then, whatever it does next)
            settle_past(self, t0 + max(timeout, 0))
        end = virtual_end(self) if not orig_alive(self) else None
        done = end is not None and (timeout is None or end <= t0 + max(timeout, 0))
        if not getattr(self, "_ck_internal", False):
            probe.emit("join", target=f"p:{self.name}", t0=t0, timeout=timeout, done=done, phase=probe.phase,
                       where=probe.where(sys._getframe(1)))
        if done:
            _advance_to(end)  # type: ignore[arg-type]
            _merge(None, _read_end_lc(self.pid))
        elif timeout is not None:
            _advance_to(t0 + max(timeout, 0))

    def _kill_at(self: Any, how: str, orig: Callable[[Any], None]) -> None:
        # Killing a process is an event of the logical timeline: what the child did after this moment is
        # dropped by the judge.  Let it get past the moment (or end) first, so that what it did *before*
        # is complete whatever the real speed of either process.
        if getattr(self, "_ck_internal", False):
            return orig(self)
        t = clock()
        self._ck_killed_at = t
        probe.emit("kill", target=f"p:{self.name}", how=how, pid=self.pid, where=probe.where(sys._getframe(2)))
        settle_past(self, t)
        orig(self)

    def settle_past(self: Any, t: float) -> None:
        # Wait until the child has really ended or got past logical time ``t`` (or the tree has settled), so
        # that what it did up to ``t`` is known whatever the real speed of either process.
        deadline = real_monotonic() + _state["grace"]
        quiet = _Quiescence()
        with _RealWait():
            while orig_alive(self) and real_monotonic() < deadline:
                if _progress_of(self.pid) > t or quiet.settled():
                    break
                real_sleep(0.005)

    def is_alive(self: Any) -> bool:
        if self._popen is None:
            return False
        if not getattr(self, "_ck_internal", False):
            # Really alive says nothing about logical time: a child that is merely slow may end before now.
            settle_past(self, clock())
        if not orig_alive(self):
            end = virtual_end(self)
            return end is not None and end > clock()
        return True

    BP.start = start  # type: ignore[method-assign]
    BP._bootstrap = _bootstrap  # type: ignore[attr-defined]
    BP.join = join  # type: ignore[method-assign]
    BP.terminate = lambda self: _kill_at(self, "terminate", orig_terminate)  # type: ignore[method-assign]
    BP.kill = lambda self: _kill_at(self, "kill", orig_kill)  # type: ignore[method-assign]
    BP.is_alive = is_alive  # type: ignore[method-assign]


def _process_target(proc: Any) -> str:
    target = getattr(proc, "_target", None)
    if target is not None:
        return _target_name(target)
    if type(proc).run is not multiprocessing.process.BaseProcess.run:
        return f"{type(proc).__qualname__}.run"
    return ""


def _progress_of(pid: int | None) -> float:
    """The latest logical time a child has reported (how far it got)."""
    if pid is None:
        return float("inf")
    path = os.path.join(_probe().writer.directory, f"{pid}.jsonl")
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - 4096))
            tail = f.read().splitlines()
    except OSError:
        return -1.0
    import json

    for raw in reversed(tail):
        try:
            return float(json.loads(raw).get("t", -1.0))
        except ValueError:
            continue
    return -1.0


def _patch_pools(probe: Probe) -> None:
    Pool = multiprocessing.pool.Pool
    orig_init, orig_apply_async, orig_map_async = Pool.__init__, Pool.apply_async, Pool._map_async  # type: ignore[attr-defined]
    orig_terminate, orig_join = Pool.terminate, Pool.join
    ApplyResult = multiprocessing.pool.ApplyResult
    orig_set, orig_get, orig_wait = ApplyResult._set, ApplyResult.get, ApplyResult.wait  # type: ignore[attr-defined]

    def init(self: Any, processes: int | None = None, *args: Any, **kwargs: Any) -> None:
        self._ck_vpool = VirtualPool(processes or os.cpu_count() or 1, "pool")
        _pools.append(self._ck_vpool)
        orig_init(self, processes, *args, **kwargs)
        for p in self._pool:
            p._ck_internal = True

    def repopulate(self: Any) -> Any:
        out = orig_repop(self)
        for p in self._pool:
            p._ck_internal = True
        return out

    orig_repop = Pool._repopulate_pool  # type: ignore[attr-defined]

    def apply_async(self: Any, func: Callable[..., Any], args: Any = (),
                    kwds: Any = {}, *a: Any, **k: Any) -> Any:  # noqa: B006 (Pool.apply_async's own default)
        timed = self._ck_vpool.submit(func, _target_name(func))
        result = orig_apply_async(self, timed, args, kwds, *a, **k)
        result._ck_uids = [timed.uid]  # type: ignore[attr-defined]  # the pool's own result object, tagged
        result._ck_vpool = self._ck_vpool  # type: ignore[attr-defined]
        return result

    def _map_async(self: Any, func: Callable[..., Any], iterable: Any, mapper: Any, chunksize: Any = None,
                   *a: Any, **k: Any) -> Any:
        vpool: VirtualPool = self._ck_vpool
        items = list(iterable)
        if chunksize is None:
            chunksize, extra = divmod(len(items), len(self._pool) * 4)
            if extra:
                chunksize += 1
        chunksize = max(1, chunksize)
        chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
        uids: list[str] = []
        timed_chunks = []
        for chunk in chunks:
            timed = vpool.submit(_Chunk(mapper, func), _target_name(func))
            uids.append(timed.uid)
            timed_chunks.append((timed, chunk))
        result = orig_map_async(self, _run_timed_chunk, timed_chunks, multiprocessing.pool.mapstar,  # type: ignore[attr-defined]
                                1, *a, **k)
        result._ck_uids = uids
        result._ck_vpool = vpool
        result._ck_chunked = True
        return result

    def _set(self: Any, i: int, obj: Any) -> None:
        success, value = obj
        orig_set(self, i, (success, _unwrap(value, getattr(self, "_ck_vpool", None))))

    # map(): each chunk is one timed call whose result is the chunk's list; it stays one element (so that
    # chunks arriving in any order land in their place) and get() flattens the list of chunks.
    MapResult = multiprocessing.pool.MapResult
    orig_map_set = MapResult._set  # type: ignore[attr-defined]

    def map_set(self: Any, i: int, obj: Any) -> None:
        success, value = obj
        value = [_unwrap(v, None) for v in value] if success and isinstance(value, list) else _unwrap(value, None)
        orig_map_set(self, i, (success, value))

    MapResult._set = map_set  # type: ignore[attr-defined]

    def settle(self: Any) -> None:
        vpool: VirtualPool | None = getattr(self, "_ck_vpool", None)
        if vpool is None or not self.ready():
            return
        vpool.collect(self._ck_uids)
        times = vpool.schedule(self._ck_uids[-1])
        ends = [times[u][1] for u in self._ck_uids if u in times]
        if ends:
            _advance_to(max(ends))

    def get(self: Any, timeout: float | None = None) -> Any:
        try:
            value = orig_get(self, timeout)
            if getattr(self, "_ck_chunked", False) and isinstance(value, list):
                value = [x for part in value for x in part]
            return value
        finally:
            settle(self)

    def wait(self: Any, timeout: float | None = None) -> None:
        orig_wait(self, timeout)
        settle(self)

    def terminate(self: Any) -> None:
        vpool: VirtualPool = self._ck_vpool
        vpool.killed_at = clock()
        probe.emit("kill", target=vpool.name, how="terminate", where=probe.where(sys._getframe(1)))
        orig_terminate(self)

    def join(self: Any) -> None:
        orig_join(self)
        self._ck_vpool.collect(u[0] for u in self._ck_vpool.tasks)
        times = self._ck_vpool.schedule()
        if times:
            _advance_to(max(end for _, end in times.values()))

    def imap(self: Any, func: Callable[..., Any], iterable: Any, chunksize: int = 1) -> Any:
        # One timed call per item, submitted at once (as imap does), results in order.  Taking the items
        # eagerly changes nothing a program can see but memory.
        pending = [self.apply_async(func, (item,)) for item in iterable]
        return (result.get() for result in pending)

    def imap_unordered(self: Any, func: Callable[..., Any], iterable: Any, chunksize: int = 1) -> Any:
        # "As they finish" is a real-time race; on logical time, calls that finish together come last-submitted
        # first, so a program that relies on getting them in input order is caught every time.
        pending = [self.apply_async(func, (item,)) for item in iterable]

        def results() -> Any:
            for result in pending:
                result.wait()
            times = self._ck_vpool.schedule()
            order = sorted(range(len(pending)), key=lambda i: (times.get(pending[i]._ck_uids[0], (0.0, 0.0))[1], -i))
            for i in order:
                yield pending[i].get()

        return results()

    Pool.imap = imap  # type: ignore[method-assign,assignment]
    Pool.imap_unordered = imap_unordered  # type: ignore[method-assign,assignment]
    Pool.__init__ = init  # type: ignore[method-assign]
    Pool._repopulate_pool = repopulate  # type: ignore[attr-defined]
    Pool.apply_async = apply_async  # type: ignore[method-assign]
    Pool._map_async = _map_async  # type: ignore[attr-defined]
    Pool.terminate = terminate  # type: ignore[method-assign]
    Pool.join = join  # type: ignore[method-assign]
    ApplyResult._set = _set  # type: ignore[attr-defined]
    ApplyResult.get = get  # type: ignore[method-assign]
    ApplyResult.wait = wait  # type: ignore[method-assign]

    # ProcessPoolExecutor: the same schedule, through futures.
    PPE = ProcessPoolExecutor
    orig_ppe_init, orig_submit, orig_shutdown = PPE.__init__, PPE.submit, PPE.shutdown
    orig_set_result, orig_set_exc, orig_result = Future.set_result, Future.set_exception, Future.result

    def ppe_init(self: Any, max_workers: int | None = None, *args: Any, **kwargs: Any) -> None:
        orig_ppe_init(self, max_workers, *args, **kwargs)
        self._ck_vpool = VirtualPool(self._max_workers, "executor")
        _pools.append(self._ck_vpool)

    def submit(self: Any, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        timed = self._ck_vpool.submit(fn, _target_name(getattr(fn, "func", fn)))
        future = orig_submit(self, timed, *args, **kwargs)
        future._ck_uid = timed.uid  # type: ignore[attr-defined]
        future._ck_vpool = self._ck_vpool  # type: ignore[attr-defined]
        return future

    def set_result(self: Any, result: Any) -> None:
        orig_set_result(self, _unwrap(result, getattr(self, "_ck_vpool", None)))

    def set_exception(self: Any, exception: BaseException | None) -> None:  # the parameter's name is Future's
        orig_set_exc(self, _unwrap(exception, getattr(self, "_ck_vpool", None)))

    def result(self: Any, timeout: float | None = None) -> Any:
        try:
            return orig_result(self, timeout)
        finally:
            vpool = getattr(self, "_ck_vpool", None)
            if vpool is not None and self.done():
                vpool.collect([self._ck_uid])
                times = vpool.schedule(self._ck_uid)
                if self._ck_uid in times:
                    _advance_to(times[self._ck_uid][1])

    def shutdown(self: Any, wait: bool = True, **kwargs: Any) -> None:
        orig_shutdown(self, wait, **kwargs)
        if wait:
            self._ck_vpool.collect(u[0] for u in self._ck_vpool.tasks)
            times = self._ck_vpool.schedule()
            if times:
                _advance_to(max(end for _, end in times.values()))

    import concurrent.futures
    import concurrent.futures._base as futures_base

    orig_as_completed = futures_base.as_completed

    def as_completed(fs: Any, timeout: float | None = None) -> Any:
        # Like imap_unordered: on logical time, futures that finish together come last-submitted first.
        fs = list(fs)
        if not fs or not all(getattr(f, "_ck_vpool", None) is not None for f in fs):
            yield from orig_as_completed(fs, timeout)
            return
        concurrent.futures.wait(fs)
        ends = {}
        for f in fs:
            times = f._ck_vpool.schedule(f._ck_uid)
            ends[id(f)] = times.get(f._ck_uid, (0.0, 0.0))[1]
        for i in sorted(range(len(fs)), key=lambda i: (ends[id(fs[i])], -i)):
            yield fs[i]

    futures_base.as_completed = as_completed
    concurrent.futures.as_completed = as_completed
    PPE.__init__ = ppe_init  # type: ignore[method-assign]
    PPE.submit = submit  # type: ignore[method-assign]
    PPE.shutdown = shutdown  # type: ignore[method-assign]
    Future.set_result = set_result  # type: ignore[method-assign]
    Future.set_exception = set_exception  # type: ignore[method-assign]
    Future.result = result  # type: ignore[method-assign]


class _Chunk:
    """``mapstar`` over one chunk, picklable, so a whole chunk is one timed task (it runs in one worker)."""

    def __init__(self, mapper: Callable[..., list[Any]], func: Callable[..., Any]) -> None:
        self.mapper, self.func = mapper, func

    def __call__(self, chunk: list[Any]) -> list[Any]:
        return self.mapper((self.func, chunk))


def _run_timed_chunk(pair: tuple[Timed, list[Any]]) -> TimedResult:
    timed, chunk = pair
    return timed(chunk)


# -- watchdog ------------------------------------------------------------------------------------------------
def _wait_real(done: Callable[[], bool], step: Callable[[], Any]) -> None:
    """Wait (by calling ``step``, a short real wait) until ``done()``, the tree settles, or the backstop."""
    deadline = real_monotonic() + _state["grace"]
    quiet = _Quiescence()
    with _RealWait():
        while not done() and real_monotonic() < deadline and not quiet.settled():
            step()


class _RealWait:
    """Marks a wait on real time that the harness does on purpose (a grace period), so it is never a stall."""

    def __enter__(self) -> None:
        _state["real_waits"] = _state.get("real_waits", 0) + 1

    def __exit__(self, *exc: Any) -> None:
        _state["real_waits"] -= 1


def _start_watchdog() -> None:
    """One watchdog thread per process (a raw thread: it is no part of the program).

    Logical time cannot tell a slow process from a stuck one, so progress is measured in two real quantities:
    * a process that burns ``stall_s`` seconds of CPU time without a single event is spinning (a busy loop);
      CPU time, unlike wall-clock time, does not stretch when the machine is loaded;
    * (main program only) when no process of the tree has written an event, the whole tree has used almost no
      CPU, and no thread of it was ever seen runnable for ``stall_s`` real seconds, every process is blocked:
      a deadlock.
    A run that makes progress, however slowly, writes events or uses CPU, and is never stopped.
    """
    if _state.get("watchdog") == os.getpid():
        return
    _state["watchdog"] = os.getpid()
    import _thread

    _thread.start_new_thread(_watch, ())


def _watch() -> None:
    probe = _probe()
    stall = _state["stall_s"]
    me = os.getpid()
    last_count, cpu0 = -1, time.process_time()
    tree_mark: tuple[int, float | None] | None = None
    tree_since = real_monotonic()
    while _state.get("watchdog") == me == os.getpid():
        real_sleep(0.2)
        count = probe.writer.count
        if count != last_count:
            last_count, cpu0 = count, time.process_time()
        elif time.process_time() - cpu0 >= stall:
            where, on, _ = _main_thread_position(probe)
            probe.problem("stuck", detail=f"{stall:g} s of CPU time without progress", where=where, on=on,
                          t=max(_progress_of(me), 0.0), id=context_of_main())
            _stop_run()
            return
        if not _state.get("root"):
            continue
        # Cheap first: while the trace grows, nothing else is looked at.  A thread that is runnable is not
        # blocked, only waiting for a CPU: on a loaded machine a correct run can get very little CPU for a
        # while, but its threads are then runnable, never all asleep.
        size = _tree_activity(probe.writer.directory, with_cpu=False)[0]
        if tree_mark is None or size != tree_mark[0] or _state.get("real_waits", 0) > 0:
            tree_mark, tree_since = (size, None), real_monotonic()
            continue
        cpu = _tree_activity(probe.writer.directory)[1]
        if tree_mark[1] is None or cpu - tree_mark[1] > 0.05 * stall or _tree_runnable(threading.get_native_id()):
            tree_mark, tree_since = (size, cpu), real_monotonic()
        elif real_monotonic() - tree_since >= stall:
            where, on, code = _main_thread_position(probe)
            probe.problem("deadlock", detail="every process is waiting", where=where,
                          t=max(_progress_of(me), 0.0), id=context_of_main(),
                          waits=[{"id": context_of_main(), "on": on, "where": where, "code": code}])
            _stop_run()
            return


def context_of_main() -> str:
    return "main" if _state.get("root") else f"p:{multiprocessing.process.current_process().name}"


def _main_thread_position(probe: Probe) -> tuple[str, str, str]:
    """Where the main thread is in the student's code, the call it is inside (``join()``, ``get()``...), and
    the student's line there, as written (what a message quotes)."""
    frame = sys._current_frames().get(threading.main_thread().ident or 0)
    code = probe.code_at(frame)
    inner = None
    while frame is not None:
        if probe.is_student(frame.f_code):
            where = f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno} in {frame.f_code.co_name}"
            return where, f"{inner.f_code.co_name}()" if inner is not None else "a loop", code
        inner, frame = frame, frame.f_back
    return "", "a call", code


def _tree_activity(directory: str, with_cpu: bool = True) -> tuple[int, float]:
    """Total size of the trace files, and total CPU seconds of this process and all its descendants (a child
    that is still starting up, under load, has written nothing yet but is using CPU)."""
    size, cpu = 0, 0.0
    try:
        for entry in os.listdir(directory):
            if entry.endswith(".jsonl"):
                size += os.path.getsize(os.path.join(directory, entry))
    except OSError:
        pass
    if not with_cpu:
        return size, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    tree, stats = _process_tree()
    cpu = sum((int(stats[pid][11]) + int(stats[pid][12])) / tick for pid in tree if pid in stats)
    return size, cpu


def _process_tree() -> tuple[set[int], dict[int, list[bytes]]]:
    """This process and its descendants, with each process's ``/proc/<pid>/stat`` fields after the name."""
    stats: dict[int, list[bytes]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    stats[int(name)] = f.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
    parents = {pid: int(fields[1]) for pid, fields in stats.items() if len(fields) > 12}
    tree, grew = {os.getpid()}, True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree, stats


class _Quiescence:
    """Whether the process tree has settled: no thread runnable (but the caller) and no event written, for a
    while.  A child blocked for good (waiting on a queue nobody will fill) never gets past a kill's moment, and
    waiting the whole grace period for it would only cost real time: once nothing in the tree can move, nothing
    more will happen before the kill either."""

    HOLD = 0.25  # real seconds of stillness

    def __init__(self) -> None:
        self.mark: Any = None
        self.since = real_monotonic()

    def settled(self) -> bool:
        mark = (_tree_activity(_probe().writer.directory)[0], _tree_runnable(threading.get_native_id()))
        if mark[1] or mark != self.mark:
            self.mark, self.since = mark, real_monotonic()
            return False
        return real_monotonic() - self.since >= self.HOLD


def _tree_runnable(exclude_tid: int) -> bool:
    """Whether any thread of this process or its descendants (but ``exclude_tid``) is running or runnable."""
    tree, _ = _process_tree()
    for pid in tree:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            if int(tid) == exclude_tid:
                continue
            try:
                with open(f"/proc/{pid}/task/{tid}/stat", "rb") as f:
                    state = f.read().rsplit(b")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state in (b"R", b"D"):
                return True
    return False


def _stop_run() -> None:
    """End the whole run now: the main program ends it itself; a child takes its process group down."""
    finish = _state.get("finish")
    if _state.get("root") and finish is not None:
        finish(0)
    import signal

    try:
        os.killpg(os.getpgid(0), signal.SIGKILL)
    except OSError:
        os._exit(1)


def alive() -> list[str]:
    """Student processes alive at this moment of logical time (whether or not they have really exited)."""
    return [f"p:{p.name}" for p in _started if p.is_alive()]


def shutdown(probe: Probe) -> None:
    """What interpreter exit does: join non-daemon children, terminate daemonic ones, join threads."""
    # Daemonic children still alive *on logical time* are killed now, even those that really finished already
    # (active_children() forgets those): what they printed after this moment must not count, however fast they
    # really ran.
    for proc in list(_started):  # noqa: PERF101 - a snapshot of the processes started so far
        if proc.daemon and not getattr(proc, "_ck_internal", False) and proc.is_alive():
            proc.terminate()
    for proc in multiprocessing.active_children():
        if getattr(proc, "_ck_internal", False):
            continue
        if proc.daemon:
            proc.terminate()
        proc.join()
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon and getattr(thread, "_ck_id", None):
            thread.join()
    for pool in _pools:
        pool.emit_schedule()


def install_from_environment() -> None:
    """Entry point for ``sitecustomize`` in a spawned (or fork-server) child."""
    if _state["probe"] is not None:
        return
    directory = os.environ["COURSEKIT_PROCESS_TRACE"]
    files = [f for f in os.environ.get("COURSEKIT_STUDENT_FILES", "").split(os.pathsep) if f]
    probe = Probe(TraceWriter(directory), files)
    install(probe, root=False)
    probe.phase = "main"
    probe.capture_output()
