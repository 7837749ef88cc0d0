"""Pool calls on an ideal schedule: ``multiprocessing.Pool`` and ``ProcessPoolExecutor`` on logical time.

Which pool worker takes a call is decided by real-time races, so a call's *worker* is not part of the model:
each submitted call is timed on its own (``Timed``: it runs at relative time 0 and reports how long it took,
logically), and the parent places it on the pool's ``k`` slots in submission order, as an ideal pool would
(``VirtualPool``, on ``schedule.IdealSlots``).  Events a call emits carry its ``task`` id and a time
relative to its start; the judge shifts them once the schedule (``sched`` events) is known.

One function per patched class: ``patch_pool``, ``patch_apply_result``, ``patch_map_result``,
``patch_executor``, ``patch_future``, ``patch_as_completed``.
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures._base as futures_base
import itertools
import multiprocessing.pool
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from coursekit._engine import events, real
from coursekit._engine.causal import AT_END
from coursekit._engine.probe import Probe
from coursekit._engine.processes import clock
from coursekit._engine.processes.clock import run
from coursekit._engine.processes.schedule import IdealSlots
from coursekit._engine.processes.watchdog import Quiescence, RealWait, wait_real
from coursekit._engine.targets import callable_name


# -- timed calls ------------------------------------------------------------------------------------------------
class TimedResult:
    """What a timed call returns to the pool: its value, and how long it took on its own logical clock."""

    def __init__(self, value: Any, uid: str, duration: float) -> None:
        self.value, self.uid, self.duration = value, uid, duration


class Timed:
    """A pool call that measures itself: run at relative time 0, report how long it took (logically)."""

    def __init__(self, fn: Callable[..., Any], uid: str) -> None:
        self.fn, self.uid = fn, uid

    def __call__(self, *args: Any, **kwargs: Any) -> TimedResult:
        saved = clock.clock()
        clock.set_clock(0.0)
        clock.set_task(self.uid)
        probe = clock.probe()
        probe.emit(events.TASK_BEGIN, task=self.uid, pid=os.getpid(), root=run.root)
        cpu0 = time.thread_time()
        try:
            value = self.fn(*args, **kwargs)
        except BaseException as exc:
            exc._ck_timed = (self.uid, clock.clock())  # type: ignore[attr-defined]
            probe.crash(exc, task=self.uid)
            raise
        finally:
            duration = clock.clock()
            # CPU time is measured, not logical: it only tells a CPU-bound call from an empty one (> 0 or not)
            probe.emit(events.TASK_END, task=self.uid, pid=os.getpid(), cpu=round(time.thread_time() - cpu0, 6))
            clock.set_task(None)
            clock.set_clock(saved + duration)
        return TimedResult(value, self.uid, duration)


@dataclass
class PoolCall:
    """One call submitted to a pool: when (logically), what it runs, and how long it took once known."""

    uid: str
    submit: float
    target: str
    duration: float | None = None


class VirtualPool:
    """The ideal schedule of one pool: ``slots`` workers take calls in submission order."""

    _ids = itertools.count(1)

    def __init__(self, slots: int, kind: str) -> None:
        self.pid = os.getpid()
        self.name = f"{kind}{next(VirtualPool._ids)}"
        self.slots = max(1, slots)
        self.calls: list[PoolCall] = []
        self.cond = threading.Condition(threading.Lock())
        self._n = itertools.count(1)
        self.killed_at: float | None = None
        self.collected: set[str] = set()  # calls whose results the program has received
        self.edged: set[tuple[str, str]] = set()  # (collector, call) pairs already written as sync edges
        self.pending: list[tuple[str, Callable[[Any], Any], Any]] = []  # callbacks waiting for their call's end

    def collect(self, uids: Iterable[str]) -> None:
        uids = list(uids)
        with self.cond:
            self.collected.update(uids)
        # The collector goes on after each call's end: a synchronization edge for the judge's happens-before.
        me = clock.context()
        for uid in uids:
            if (me, uid) not in self.edged:
                self.edged.add((me, uid))
                clock.probe().emit(events.SYNC, src=events.pool_call_id(uid), at=AT_END, obj=self.name,
                                   what="result", op="acquire", counted=False)

    def lost(self, uids: list[str]) -> bool:
        """Whether ``terminate()`` cut off any of calls ``uids``: the program had not received its result, and it
        had not ended on logical time before the kill.

        Why: a call that sleeps or computes costs little real time, so whether its result beat a real terminate
        was a race of machine speed (the same program got its results on one run and a TimeoutError on the
        next).  A tie counts as cut off: a real call needs some real time, and it started after the program
        submitted it."""
        if self.killed_at is None:
            return False
        times = self.known_schedule()
        with self.cond:
            return any(uid not in self.collected and (uid not in times or times[uid][1] >= self.killed_at)
                       for uid in uids)

    def collect_all(self) -> None:
        self.collect([call.uid for call in self.calls])

    def submit(self, fn: Callable[..., Any], target: str) -> Timed:
        uid = f"{self.pid}.{self.name}.{next(self._n)}"
        with self.cond:
            self.calls.append(PoolCall(uid, clock.clock(), target))
        with self.cond:
            after = sorted(self.collected)
        # ``after``: the calls already collected when this one was submitted (it cannot run alongside them)
        clock.probe().emit(events.POOL_TASK, task=uid, pool=self.name, submit=clock.clock(), target=target,
                           slots=self.slots, after=after)
        return Timed(fn, uid)

    def finished(self, uid: str, duration: float) -> None:
        with self.cond:
            for call in self.calls:
                if call.uid == uid:
                    call.duration = duration
            self.cond.notify_all()
        self.flush_callbacks()

    def at_end(self, uid: str, callback: Callable[[Any], Any]) -> Callable[[Any], None]:
        """``callback`` (an ``apply_async`` callback), run at call ``uid``'s end on the pool's schedule.

        Why: the pool's result-handler thread runs callbacks as results really arrive, all at once (a sleep
        costs no real time), so they printed at 0 s in an order that changed from run to run.  Here a callback
        waits until its call is placed (every earlier call's duration known), then runs with the handler
        thread's clock at the call's end, earliest end first."""
        def run_at_end(value: Any) -> None:
            with self.cond:
                self.pending.append((uid, callback, value))
            self.flush_callbacks()

        return run_at_end

    def flush_callbacks(self) -> None:
        while True:
            times = self.known_schedule()
            with self.cond:
                order = {call.uid: n for n, call in enumerate(self.calls)}
                placed = [p for p in self.pending if p[0] in times]
                if not placed:
                    return
                uid, callback, value = min(placed, key=lambda p: (times[p[0]][1], order.get(p[0], 0)))
                self.pending.remove((uid, callback, value))
            saved = clock.clock()
            clock.set_clock(times[uid][1])
            try:
                callback(value)
            finally:
                clock.set_clock(saved)

    def schedule(self, upto: str | None = None) -> dict[str, tuple[float, float]]:
        """Start and end of each call up to ``upto`` (all by default), once their durations are known (or the
        tree has settled, or the backstop passed)."""
        end = real.monotonic() + run.grace
        quiet = Quiescence()
        with self.cond, RealWait():
            while True:
                index = self._index(upto)
                unknown = [call for call in self.calls[:index] if call.duration is None]
                if not unknown or real.monotonic() > end or quiet.settled():
                    break
                self.cond.wait(0.05)
            return self._placed(index)

    def known_schedule(self) -> dict[str, tuple[float, float]]:
        """Start and end of the calls whose durations are known now, without waiting."""
        with self.cond:
            return self._placed(len(self.calls))

    def _index(self, upto: str | None) -> int:
        return len(self.calls) if upto is None else [call.uid for call in self.calls].index(upto) + 1

    def _placed(self, index: int) -> dict[str, tuple[float, float]]:
        slots = IdealSlots(self.slots)
        out = {}
        for call in self.calls[:index]:
            if call.duration is None:
                break
            out[call.uid] = slots.place(call.submit, call.duration)
        return out

    def end_of_all(self) -> None:
        """The program has waited for every call (``join``, ``shutdown``): its clock moves past the last."""
        self.collect_all()
        times = self.schedule()
        if times:
            clock.advance_to(max(end for _, end in times.values()))

    def emit_schedule(self) -> None:
        for uid, (start, stop) in self.known_schedule().items():
            clock.probe().emit(events.POOL_SCHED, task=uid, start=start, end=stop, killed=self.killed_at)


def pool_of(uid: str) -> VirtualPool | None:
    """The pool a call belongs to, from its id (a result can arrive before its handle knows its pool)."""
    pid, name, _ = uid.split(".")
    for pool in run.pools:
        if pool.name == name and str(pool.pid) == pid:
            return pool
    return None


def unwrap(value: Any, pool: VirtualPool | None) -> Any:
    """A call's result (or exception) as the program sees it; its duration goes to its pool."""
    if isinstance(value, TimedResult):
        pool = pool or pool_of(value.uid)
        if pool is not None:
            pool.finished(value.uid, value.duration)
        return value.value
    timed = getattr(value, "_ck_timed", None)
    pool = pool or (pool_of(timed[0]) if timed is not None else None)
    if timed is not None and pool is not None:
        pool.finished(*timed)
    return value


class _Chunk:
    """``mapstar`` over one chunk, picklable, so a whole chunk is one timed call (it runs in one worker)."""

    def __init__(self, mapper: Callable[..., list[Any]], func: Callable[..., Any]) -> None:
        self.mapper, self.func = mapper, func

    def __call__(self, chunk: list[Any]) -> list[Any]:
        return self.mapper((self.func, chunk))


def _run_timed_chunk(pair: tuple[Timed, list[Any]]) -> TimedResult:
    timed, chunk = pair
    return timed(chunk)


def _mark_internal(pool: Any) -> None:
    for p in pool._pool:
        p._ck_internal = True  # a pool's own worker: its calls are observed as calls instead


def _cut_off(handle: Any, timeout: float | None) -> bool:
    """For ``get``/``wait`` on a call that ``terminate()`` cut off: its result never comes.  With a timeout
    the caller gives up at its deadline (``True``: say so); without one it waits for good, as for real."""
    vpool: VirtualPool | None = getattr(handle, "_ck_vpool", None)
    if vpool is None or not handle._ck_uids or not vpool.lost(handle._ck_uids):
        return False
    if timeout is None:
        threading.Event().wait()  # (the watchdog reports the program stuck here)
    clock.advance_to(clock.clock() + max(timeout or 0.0, 0.0))
    return True


def ends_in_time(handle: Any, step: Callable[[], Any], done: Callable[[], bool], uids: list[str],
                 timeout: float) -> bool:
    """Whether pool calls ``uids`` end, on the pool's schedule, within ``timeout`` of the caller's clock.

    Why: a call that sleeps costs no real time, so a real timeout (``result(timeout=0.5)`` on a call of 1 s) never
    expired.  The call's real end is waited for (or the tree settling), then its logical end decides; a timeout
    moves the caller's clock to its deadline, where the real program gives up.
    """
    vpool: VirtualPool = handle._ck_vpool
    deadline = clock.clock() + max(timeout, 0.0)
    wait_real(done, step)
    if done():
        times = vpool.schedule(uids[-1])
        ends = [times[u][1] for u in uids if u in times]
        if len(ends) == len(uids) and max(ends, default=0.0) <= deadline:
            return True
    clock.advance_to(deadline)
    return False


# -- multiprocessing.Pool ---------------------------------------------------------------------------------------
def patch_pool(probe: Probe) -> None:
    Pool = multiprocessing.pool.Pool
    orig_init, orig_apply_async, orig_map_async = Pool.__init__, Pool.apply_async, Pool._map_async  # type: ignore[attr-defined]
    orig_terminate, orig_join, orig_repop = Pool.terminate, Pool.join, Pool._repopulate_pool  # type: ignore[attr-defined]

    def init(self: Any, processes: int | None = None, *args: Any, **kwargs: Any) -> None:
        self._ck_vpool = VirtualPool(processes or os.cpu_count() or 1, "pool")
        run.pools.append(self._ck_vpool)
        orig_init(self, processes, *args, **kwargs)
        _mark_internal(self)

    def repopulate(self: Any) -> Any:
        out = orig_repop(self)
        _mark_internal(self)
        return out

    def apply_async(self: Any, func: Callable[..., Any], args: Any = (),
                    kwds: Any = {}, *a: Any, **k: Any) -> Any:  # noqa: B006 (Pool.apply_async's own default)
        timed = self._ck_vpool.submit(func, callable_name(func))
        result = orig_apply_async(self, timed, args, kwds, *a, **k)
        result._ck_uids = [timed.uid]  # type: ignore[attr-defined]  # the pool's own result object, tagged
        for attr in ("_callback", "_error_callback"):
            if getattr(result, attr, None) is not None:
                setattr(result, attr, self._ck_vpool.at_end(timed.uid, getattr(result, attr)))
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
            timed = vpool.submit(_Chunk(mapper, func), callable_name(func))
            uids.append(timed.uid)
            timed_chunks.append((timed, chunk))
        result = orig_map_async(self, _run_timed_chunk, timed_chunks, multiprocessing.pool.mapstar,  # type: ignore[attr-defined]
                                1, *a, **k)
        result._ck_uids = uids
        result._ck_vpool = vpool
        result._ck_chunked = True
        return result

    def terminate(self: Any) -> None:
        vpool: VirtualPool = self._ck_vpool
        vpool.schedule()  # every call so far has really ended (or cannot): the kill is decided on logical time
        vpool.killed_at = clock.clock()
        caller = sys._getframe(1)
        cut = [call.uid for call in list(vpool.calls) if vpool.lost([call.uid])]
        probe.emit(events.KILL, target=vpool.name, how="terminate", where=probe.where(caller),
                   by_with=caller.f_code.co_name == "__exit__", cut=cut)  # by_with: the end of `with Pool():`
        orig_terminate(self)

    def join(self: Any) -> None:
        orig_join(self)
        self._ck_vpool.end_of_all()

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
            # The schedule waits for the calls really to end; each ``get`` then moves the clock to its own call's
            # end (a ``wait()`` on every call first moved it past the slowest, and every result came at once).
            if not pending:
                return
            times = self._ck_vpool.schedule(pending[-1]._ck_uids[0])
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


def patch_apply_result() -> None:
    """A pool's result handle: a result's duration goes to its pool; ``get`` and ``wait`` move the clock to
    the call's end on the ideal schedule."""
    ApplyResult = multiprocessing.pool.ApplyResult
    orig_set, orig_get, orig_wait = ApplyResult._set, ApplyResult.get, ApplyResult.wait  # type: ignore[attr-defined]
    orig_ready = ApplyResult.ready

    def _set(self: Any, i: int, obj: Any) -> None:
        success, value = obj
        orig_set(self, i, (success, unwrap(value, getattr(self, "_ck_vpool", None))))

    def settle(self: Any) -> None:
        vpool: VirtualPool | None = getattr(self, "_ck_vpool", None)
        if vpool is None or not orig_ready(self) or not self._ck_uids:  # (``map(f, [])`` made no call)
            return
        vpool.collect(self._ck_uids)
        times = vpool.schedule(self._ck_uids[-1])
        ends = [times[u][1] for u in self._ck_uids if u in times]
        if ends:
            clock.advance_to(max(ends))

    def get(self: Any, timeout: float | None = None) -> Any:
        if _cut_off(self, timeout):
            raise multiprocessing.TimeoutError
        if timeout is not None and getattr(self, "_ck_vpool", None) is not None and not ends_in_time(
                self, lambda: orig_wait(self, 0.02), lambda: orig_ready(self), self._ck_uids, timeout):
            raise multiprocessing.TimeoutError
        try:
            value = orig_get(self, None if timeout is not None and orig_ready(self) else timeout)
            if getattr(self, "_ck_chunked", False) and isinstance(value, list):
                value = [x for part in value for x in part]
            return value
        finally:
            settle(self)

    def wait(self: Any, timeout: float | None = None) -> None:
        if _cut_off(self, timeout):
            return
        if timeout is not None and getattr(self, "_ck_vpool", None) is not None:
            if ends_in_time(self, lambda: orig_wait(self, 0.02), lambda: orig_ready(self), self._ck_uids, timeout):
                settle(self)
            return
        orig_wait(self, timeout)
        settle(self)

    def ready(self: Any) -> bool:
        """For the program: whether the call has ended *by now* on the pool's schedule (really ended is not
        enough: a sleep costs no real time).  The pool's own machinery still asks the real question."""
        really = orig_ready(self)
        vpool: VirtualPool | None = getattr(self, "_ck_vpool", None)
        if (not really or vpool is None or not self._ck_uids
                or clock.is_helper_module(sys._getframe(1).f_globals.get("__name__", ""))):
            return really
        if vpool.lost(self._ck_uids):
            return False
        times = vpool.schedule(self._ck_uids[-1])
        ends = [times[u][1] for u in self._ck_uids if u in times]
        done = len(ends) == len(self._ck_uids) and max(ends, default=0.0) <= clock.clock()
        if done:  # the program has seen it done: a later terminate() no longer takes it away
            vpool.collect(self._ck_uids)
        return done

    ApplyResult.ready = ready  # type: ignore[method-assign]
    ApplyResult._set = _set  # type: ignore[attr-defined]
    ApplyResult.get = get  # type: ignore[method-assign]
    ApplyResult.wait = wait  # type: ignore[method-assign]


def patch_map_result() -> None:
    """``map()``: each chunk is one timed call whose result is the chunk's list; it stays one element (so that
    chunks arriving in any order land in their place) and ``get()`` flattens the list of chunks."""
    MapResult = multiprocessing.pool.MapResult
    orig_map_set = MapResult._set  # type: ignore[attr-defined]

    def map_set(self: Any, i: int, obj: Any) -> None:
        success, value = obj
        value = [unwrap(v, None) for v in value] if success and isinstance(value, list) else unwrap(value, None)
        orig_map_set(self, i, (success, value))

    MapResult._set = map_set  # type: ignore[attr-defined]


# -- concurrent.futures -----------------------------------------------------------------------------------------
def patch_executor() -> None:
    """``ProcessPoolExecutor``: the same schedule as ``Pool``, through futures."""
    PPE = ProcessPoolExecutor
    orig_ppe_init, orig_submit, orig_shutdown = PPE.__init__, PPE.submit, PPE.shutdown

    def ppe_init(self: Any, max_workers: int | None = None, *args: Any, **kwargs: Any) -> None:
        orig_ppe_init(self, max_workers, *args, **kwargs)
        self._ck_vpool = VirtualPool(self._max_workers, "executor")
        run.pools.append(self._ck_vpool)

    def submit(self: Any, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        timed = self._ck_vpool.submit(fn, callable_name(getattr(fn, "func", fn)))
        future = orig_submit(self, timed, *args, **kwargs)
        future._ck_uid = timed.uid  # type: ignore[attr-defined]
        future._ck_vpool = self._ck_vpool  # type: ignore[attr-defined]
        return future

    def shutdown(self: Any, wait: bool = True, **kwargs: Any) -> None:
        orig_shutdown(self, wait, **kwargs)
        if wait:
            self._ck_vpool.end_of_all()

    PPE.__init__ = ppe_init  # type: ignore[method-assign]
    PPE.submit = submit  # type: ignore[method-assign]
    PPE.shutdown = shutdown  # type: ignore[method-assign]


def patch_future() -> None:
    """A pool call's future: its duration goes to its pool; ``result()`` moves the clock to the call's end."""
    orig_set_result, orig_set_exc, orig_result = Future.set_result, Future.set_exception, Future.result

    def set_result(self: Any, result: Any) -> None:
        orig_set_result(self, unwrap(result, getattr(self, "_ck_vpool", None)))

    def set_exception(self: Any, exception: BaseException | None) -> None:  # the parameter's name is Future's
        orig_set_exc(self, unwrap(exception, getattr(self, "_ck_vpool", None)))

    def result(self: Any, timeout: float | None = None) -> Any:
        if timeout is not None and getattr(self, "_ck_vpool", None) is not None:
            if not ends_in_time(self, lambda: concurrent.futures.wait([self], 0.02), self.done, [self._ck_uid],
                                timeout):
                raise concurrent.futures.TimeoutError
            timeout = None  # it has ended, in real time too
        try:
            return orig_result(self, timeout)
        finally:
            vpool = getattr(self, "_ck_vpool", None)
            if vpool is not None and self.done():
                vpool.collect([self._ck_uid])
                times = vpool.schedule(self._ck_uid)
                if self._ck_uid in times:
                    clock.advance_to(times[self._ck_uid][1])

    Future.set_result = set_result  # type: ignore[method-assign]
    Future.set_exception = set_exception  # type: ignore[method-assign]
    Future.result = result  # type: ignore[method-assign]


def patch_as_completed() -> None:
    """Like ``imap_unordered``: on logical time, futures that finish together come last-submitted first."""
    orig_as_completed = futures_base.as_completed

    def as_completed(fs: Any, timeout: float | None = None) -> Any:
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


def install(probe: Probe) -> None:
    patch_pool(probe)
    patch_apply_result()
    patch_map_result()
    patch_executor()
    patch_future()
    patch_as_completed()
