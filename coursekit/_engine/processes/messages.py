"""Cause and effect between processes on logical time: queues, pipes, locks and shared values.

Each thread of each process keeps its own logical clock (``clock``), so a message must carry the sender's
time for the receiver to stay meaningful: an item put on a ``multiprocessing.Queue`` (or ``SimpleQueue``,
``JoinableQueue``) or sent down a ``Pipe`` travels inside a ``Stamp`` ``(t, lc)``, and the receiver moves its clock
to it (Lamport's rule: a ``get`` happens no earlier than its ``put``).  A ``Lock`` or ``RLock`` keeps the stamp of
its last release in a small file named after the lock, so an ``acquire`` happens after the previous release.

``lc`` is a Lamport counter: it breaks ties between events at the same logical time along cause and effect,
so that replaying events in ``(t, lc)`` order never puts an effect before its cause.

Shared values (``multiprocessing.Value``) record every read and write (``shared`` events) with both stamps.
The judge replays them in that order (``coursekit._engine.replay``) to decide whether updates were lost, which depends
only on the program, not on how the OS interleaved the processes.  For the same reason, when the main program
reads a value after its workers, it reads the value the replay gives (see ``_replayed_read``).

Only objects the student's code uses are stamped: the standard library's own queues and locks (a ``Pool``'s,
a ``ProcessPoolExecutor``'s, a ``Value``'s internal lock) are left alone, so their real-time races never leak
into logical time.
"""

from __future__ import annotations

import itertools
import multiprocessing.connection
import multiprocessing.queues
import multiprocessing.reduction
import multiprocessing.sharedctypes
import multiprocessing.synchronize
import os
import queue as _queue
import sys
import threading
from typing import Any

from coursekit._engine import events, real
from coursekit._engine.processes import arbiter, clock
from coursekit._engine.processes.clock import is_helper_module, run, task_field
from coursekit._engine.processes.peers import all_events, wait_past
from coursekit._engine.processes.watchdog import RealWait
from coursekit._engine.real import monotonic as real_monotonic
from coursekit._engine.real import sleep as real_sleep
from coursekit._engine.replay import replay

_INTERNAL = ("multiprocessing.queues", "multiprocessing.connection", "multiprocessing.context",
             "multiprocessing.synchronize", "multiprocessing.sharedctypes", __name__)
_SYNC = ("multiprocessing.synchronize", "threading", __name__)
"""Frames looked through to find who took a lock: a ``Condition``, ``Event`` or ``Barrier`` (built on a lock and a
condition) takes its lock for the program, and so carries logical time the way the lock does: the waiter that
wakes re-takes the lock its notifier released, at the notifier's time."""
_uids = itertools.count(1)
_names = itertools.count(1)
_held = threading.local()


def _from_student(depth: int, through: tuple[str, ...] = _INTERNAL) -> bool:
    """Whether the call ``depth`` frames up came from the program (not from the standard library's machinery),
    looking through frames of the modules ``through`` (a queue's ``put_nowait`` calls its ``put``)."""
    frame: Any = sys._getframe(depth + 1)
    while frame is not None and frame.f_globals.get("__name__", "") in through:
        frame = frame.f_back
    if frame is None or "__name__" not in frame.f_globals:
        # (code that ``exec`` made without a module name, like the standard library's Value properties, counts
        # as the standard library's)
        return False
    name = frame.f_globals.get("__name__", "")
    return not is_helper_module(name) and not name.startswith("coursekit.")


def _new_name(kind: str) -> str:
    return f"{kind}{os.getpid()}.{next(_names)}"


class Stamp:
    """An item in transit, with the logical time and Lamport counter of its sending."""

    __slots__ = ("obj", "t", "lc", "uid")

    def __init__(self, obj: Any, t: float, lc: int, uid: str) -> None:
        self.obj, self.t, self.lc, self.uid = obj, t, lc, uid

    def __reduce__(self) -> Any:
        return Stamp, (self.obj, self.t, self.lc, self.uid)


def _short(obj: Any) -> str:
    try:
        text = repr(obj)
    except Exception:  # noqa: BLE001 - a student's __repr__ may fail; the trace must not
        text = f"<{type(obj).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def _send(obj: Any, channel: str, where_depth: int, queue: str | None = None) -> Stamp:
    probe = clock.probe()
    uid = f"{os.getpid()}.{next(_uids)}"
    stamp = Stamp(obj, clock.clock(), clock.tick(), uid)
    if queue is not None and clock.current_task() is None:
        arbiter.record_put(queue, uid, stamp.t)
    probe.emit(events.QUEUE_PUT, uid=uid, via=channel, item=_short(obj), lc=stamp.lc,
               where=probe.where(sys._getframe(where_depth + 1)), **task_field())
    return stamp


def _receive(value: Any, channel: str, queue: str | None = None) -> Any:
    if not isinstance(value, Stamp):
        return value
    clock.merge(value.t, value.lc)
    if queue is not None:
        arbiter.record_get(queue, value.uid)
    probe = clock.probe()
    probe.emit(events.QUEUE_GET, uid=value.uid, via=channel, lc=clock.tick(), where=probe.where(sys._getframe(2)),
               **task_field())
    return value.obj


def _arbitrated(queue: Any) -> str | None:
    """The name of a student's queue whose takers go in logical-time order (``None``: taken as it comes)."""
    name = getattr(queue, "_ck_name", None)
    return name if isinstance(name, str) and arbiter.enabled() else None


def _patch_queues() -> None:
    Q, JQ, SQ = multiprocessing.queues.Queue, multiprocessing.queues.JoinableQueue, multiprocessing.queues.SimpleQueue
    Conn = multiprocessing.connection._ConnectionBase

    def namer(orig: Any) -> Any:
        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            if _from_student(1) and not hasattr(self, "_ck_name"):
                self._ck_name = _new_name("queue")
            orig(self, *args, **kwargs)

        return init

    def state_keeper(orig_get: Any, orig_set: Any) -> tuple[Any, Any]:
        def getstate(self: Any) -> Any:
            return (*orig_get(self), getattr(self, "_ck_name", None))

        def setstate(self: Any, state: Any) -> None:
            *rest, name = state
            if name is not None:
                self._ck_name = name
            orig_set(self, tuple(rest))

        return getstate, setstate

    def putter(orig: Any, channel: str, to: str = "_ck_name") -> Any:
        def put(self: Any, obj: Any, *args: Any, **kwargs: Any) -> Any:
            if _from_student(1):
                obj = _send(obj, channel, 1, getattr(self, to, None))
            return orig(self, obj, *args, **kwargs)

        put.__wrapped__ = orig  # type: ignore[attr-defined]
        return put

    def getter(orig: Any, channel: str) -> Any:
        def get(self: Any, *args: Any, **kwargs: Any) -> Any:
            queue = _arbitrated(self) if _from_student(1) else None
            if queue is None:
                return _receive(orig(self, *args, **kwargs), channel)
            return _receive(_take(self, orig, queue, *args, **kwargs), channel, queue)

        get.__wrapped__ = orig  # type: ignore[attr-defined]
        return get

    def emptiness(orig: Any) -> Any:
        def empty(self: Any) -> bool:
            queue = _arbitrated(self) if _from_student(1) else None
            if queue is None:
                return bool(orig(self))
            arbiter.wait_turn(queue)
            try:
                return arbiter.due(queue, clock.clock()) == 0
            finally:
                arbiter.publish()

        return empty

    def sizer(orig: Any) -> Any:
        def qsize(self: Any) -> int:
            queue = _arbitrated(self) if _from_student(1) else None
            if queue is None:
                return int(orig(self))
            arbiter.wait_turn(queue)
            try:
                return arbiter.due(queue, clock.clock())
            finally:
                arbiter.publish()

        return qsize

    for cls in (Q, SQ):
        cls.__init__ = namer(cls.__init__)  # type: ignore[method-assign]
        cls.__getstate__, cls.__setstate__ = state_keeper(cls.__getstate__, cls.__setstate__)  # type: ignore[method-assign]
        cls.empty = emptiness(cls.empty)  # type: ignore[method-assign]
    Q.qsize = sizer(Q.qsize)  # type: ignore[method-assign]
    orig_done, orig_join = JQ.task_done, JQ.join

    # The last task_done() is what a join() waits for: its time goes with it, and the trace has the pair as the
    # release and the acquire of ``<queue>-done`` (what the joiner does next is caused by the worker's work).
    def task_done(self: Any) -> None:
        queue = _arbitrated(self) if _from_student(1) else None
        if queue is not None:
            lc = clock.tick()
            _write_stamp(f"{queue}-done", lc)
            probe = clock.probe()
            probe.emit(events.LOCK, lock=f"{queue}-done", op="release", lc=lc, where=probe.where(sys._getframe(1)))
        orig_done(self)

    def join(self: Any) -> None:
        queue = _arbitrated(self) if _from_student(1) else None
        if queue is None:
            return orig_join(self)
        arbiter.publish("wait")  # until every task is done: it cannot act before a worker does
        try:
            orig_join(self)
            _merge_stamp(f"{queue}-done")
            probe = clock.probe()
            probe.emit(events.LOCK, lock=f"{queue}-done", op="acquire", lc=clock.tick(),
                       where=probe.where(sys._getframe(1)))
        finally:
            arbiter.publish()

    JQ.task_done = task_done  # type: ignore[method-assign]
    JQ.join = join  # type: ignore[method-assign]
    Q.put = putter(Q.put, "queue")  # type: ignore[method-assign]
    JQ.put = putter(JQ.put, "queue")  # type: ignore[method-assign]
    SQ.put = putter(SQ.put, "queue")  # type: ignore[method-assign]
    Q.get = getter(Q.get, "queue")  # type: ignore[method-assign]
    SQ.get = getter(SQ.get, "queue")  # type: ignore[method-assign]
    Conn.send = putter(Conn.send, "pipe", "_ck_out")  # type: ignore[method-assign]
    Conn.recv = getter(Conn.recv, "pipe")  # type: ignore[method-assign]
    _patch_pipes()


def _patch_pipes() -> None:
    """A ``Pipe``'s two ends on logical time: each direction is a channel (named after the end that receives),
    taken from in logical-time order as a queue is, and ``poll(timeout)`` is decided on logical time.

    Why: a child's sleeps cost no real time, so ``poll(0.2)`` saw a reply the child sent at 1.5 s (and said
    True at 0.7 s), and ``poll(1)`` said True at 0 s for a message sent at 0.5 s."""
    connection = multiprocessing.connection
    Conn = connection._ConnectionBase
    orig_pipe, orig_poll = connection.Pipe, Conn.poll

    def Pipe(duplex: bool = True) -> tuple[Any, Any]:
        a: Any
        b: Any
        a, b = orig_pipe(duplex)
        if _from_student(1, ("multiprocessing.context",)):  # (a Queue's own pipe is the Queue's)
            if duplex:
                a._ck_name, b._ck_name = _new_name("pipe"), _new_name("pipe")
                a._ck_out, b._ck_out = b._ck_name, a._ck_name
            else:  # (reader, writer)
                a._ck_name = b._ck_out = _new_name("pipe")
        return a, b

    def poll(self: Any, timeout: float | None = 0.0) -> bool:
        name = _arbitrated(self) if _from_student(1, ()) else None
        if name is None:
            return bool(orig_poll(self, timeout))
        arbiter.wait_turn(name)
        try:
            if arbiter.due(name, clock.clock()) > 0:
                return True
            if timeout is None:
                arbiter.publish("get", q=name)
                orig_poll(self, None)
                first = arbiter.earliest_due(name)
            else:
                by = clock.clock() + max(timeout, 0.0)
                if not (by > clock.clock() and arbiter.wait_due(name, by)):
                    clock.advance_to(by)
                    return False
                first = arbiter.earliest_due(name)
            if first is not None:
                clock.advance_to(first)
            return True
        finally:
            arbiter.publish()

    def reduce(conn: Any) -> Any:  # (a start method that pickles the ends: their names go with them)
        rebuild, args = orig_reduce(conn)
        return _rebuild_named, (rebuild, args, getattr(conn, "_ck_name", None), getattr(conn, "_ck_out", None))

    orig_reduce: Any = getattr(connection, "reduce_connection", None)
    if orig_reduce is not None:
        multiprocessing.reduction.register(connection.Connection, reduce)
    connection.Pipe = Pipe
    Conn.poll = poll  # type: ignore[method-assign]


def _rebuild_named(rebuild: Any, args: Any, name: str | None, out: str | None) -> Any:
    conn = rebuild(*args)
    if name is not None:
        conn._ck_name = name
    if out is not None:
        conn._ck_out = out
    return conn


def _take(q: Any, orig: Any, queue: str, block: bool = True, timeout: float | None = None) -> Any:
    """A get in logical-time order: wait for the turn, then take an item as logical time says it is there."""
    arbiter.wait_turn(queue)
    try:
        if block and timeout is None:
            arbiter.publish("get", q=queue)
            return orig(q)
        by = clock.clock() + (max(timeout or 0.0, 0.0) if block else 0.0)
        if arbiter.due(queue, clock.clock()) > 0 or (by > clock.clock() and arbiter.wait_due(queue, by)):
            # put by then: it is there, even if the feeder has not delivered it yet
            arbiter.publish("get", q=queue)
            return orig(q, True, run.grace)
        if block:
            clock.advance_to(by)
        raise _queue.Empty
    finally:
        arbiter.publish()


# -- locks ------------------------------------------------------------------------------------------------
def _stamp_path(name: str) -> str:
    return os.path.join(clock.probe().writer.directory, f"lock-{name}.stamp")


def _patch_locks() -> None:
    SemLock = multiprocessing.synchronize.SemLock
    orig_init, orig_make, orig_get, orig_set = (SemLock.__init__, SemLock._make_methods,  # type: ignore[attr-defined]
                                                SemLock.__getstate__, SemLock.__setstate__)  # type: ignore[attr-defined]

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        self._ck_name = _new_name("lock")
        orig_init(self, *args, **kwargs)
        self._ck_permits = self._semlock._get_value()  # (a lock: 1, taken in logical-time order as a permit)

    def make_methods(self: Any) -> None:
        orig_make(self)
        sem = self._semlock
        if sem.maxvalue != 1:
            # A counting semaphore has no single "previous release": an acquire that had to wait happens no
            # earlier than the release that let it through (the latest, as far as logical time can tell).
            def acquire_counted(block: bool = True, timeout: float | None = None) -> bool:
                if not (_from_student(1, ()) and arbiter.enabled()):  # (a Condition's own are not the program's)
                    return bool(sem.acquire(block, timeout))
                return _take_permit(self, sem, block, timeout)

            def release_counted() -> None:
                if _from_student(1, ()) and arbiter.enabled():
                    _give_permit(self)
                sem.release()

            self.acquire, self.release = acquire_counted, release_counted
            return

        def acquire(block: bool = True, timeout: float | None = None) -> bool:
            student = _from_student(1, _SYNC)
            got = _take_lock(self, sem, block, timeout) if student else bool(sem.acquire(block, timeout))
            if got and student:
                _acquired(self, 2)
            return got

        def release() -> None:
            if _from_student(1, _SYNC):
                _releasing(self, 2)
                _lock_released(self, sem)
            sem.release()

        self.acquire, self.release = acquire, release

    def enter(self: Any) -> bool:
        if self._semlock.maxvalue != 1 and _from_student(1, ()) and arbiter.enabled():
            return _take_permit(self, self._semlock, True, None)
        if self._semlock.maxvalue == 1 and _from_student(1, _SYNC):
            got = _take_lock(self, self._semlock, True, None)
            _acquired(self, 2)
            return got
        return bool(self._semlock.__enter__())

    def exit(self: Any, *args: Any) -> Any:
        if self._semlock.maxvalue == 1 and _from_student(1, _SYNC):
            _releasing(self, 2)
            _lock_released(self, self._semlock)
        elif self._semlock.maxvalue != 1 and _from_student(1, ()) and arbiter.enabled():
            _give_permit(self)
        return self._semlock.__exit__(*args)

    def getstate(self: Any) -> Any:
        state: Any = orig_get(self)
        return (*state, getattr(self, "_ck_name", None), getattr(self, "_ck_permits", 0))

    def setstate(self: Any, state: Any) -> None:
        *rest, self._ck_name, self._ck_permits = state
        orig_set(self, tuple(rest))

    SemLock.__init__ = init  # type: ignore[method-assign]
    SemLock._make_methods = make_methods  # type: ignore[attr-defined]
    SemLock.__enter__ = enter  # type: ignore[method-assign]
    SemLock.__exit__ = exit  # type: ignore[method-assign]
    SemLock.__getstate__ = getstate  # type: ignore[method-assign]
    SemLock.__setstate__ = setstate  # type: ignore[attr-defined]


def _take_lock(lock: Any, raw: Any, block: bool, timeout: float | None) -> bool:
    """A lock's outermost acquire, in logical-time order: the lock is a semaphore of one permit (``_take_permit``).

    Why: processes used to take a lock in real order, and a child whose sleeps cost no real time took it first,
    so which process went first, and the times after it, changed from run to run.  An ``RLock`` its owner takes
    again is only counted, as in the standard library."""
    if not arbiter.enabled() or raw._is_mine():
        return bool(raw.acquire(block, timeout))
    return _take_permit(lock, raw, block, timeout)


def _lock_released(lock: Any, raw: Any) -> None:
    """The outermost release of a lock is a permit put on logical time (before the real release)."""
    if arbiter.enabled() and raw._count() <= 1:
        _give_permit(lock)


def _give_permit(sem: Any) -> None:
    """A counting semaphore's release is a permit put on logical time (as an item on a queue)."""
    arbiter.record_put(getattr(sem, "_ck_name", "semaphore?"), f"{os.getpid()}.{next(_uids)}", clock.clock())


def _take_permit(sem: Any, raw: Any, block: bool, timeout: float | None) -> bool:
    """An acquire in logical-time order: the initial permits first, then the released ones, earliest first; it
    happens no earlier than the release of the permit it takes."""
    name = getattr(sem, "_ck_name", "semaphore?")
    arbiter.wait_turn(name)
    try:
        by = clock.clock() + (max(timeout or 0.0, 0.0) if block else 0.0)
        initial = max(int(getattr(sem, "_ck_permits", 0)) - arbiter.taken(name, "init:"), 0)
        if not block or timeout is not None:
            if initial == 0 and arbiter.due(name, clock.clock()) == 0 and not (
                    by > clock.clock() and arbiter.wait_due(name, by)):
                if block:
                    clock.advance_to(by)
                return False
            got = bool(raw.acquire(True, run.grace))
        else:
            arbiter.publish("get", q=name)
            got = bool(raw.acquire(True, None))
        if got:
            permit = arbiter.first_untaken(name) if initial == 0 else None
            if permit is None:
                arbiter.record_get(name, f"init:{os.getpid()}.{next(_uids)}")
            else:
                arbiter.record_get(name, permit[0])
                clock.advance_to(permit[1])
        return got
    finally:
        arbiter.publish()


def _held_locks() -> list[str]:
    if not hasattr(_held, "names"):
        _held.names = []
    return _held.names  # type: ignore[no-any-return]


def _merge_stamp(name: str) -> None:
    """Happen no earlier than the last release of ``name`` (if it was ever released)."""
    try:
        t, lc = real.read_file(_stamp_path(name)).split()
        clock.merge(float(t), int(lc))
    except (OSError, ValueError):
        pass  # never released yet
    arbiter.publish()


def _write_stamp(name: str, lc: int) -> None:
    t = clock.clock() if clock.current_task() is None else 0.0
    tmp = _stamp_path(name) + f".{os.getpid()}.{threading.get_ident()}"
    real.replace_file(_stamp_path(name), f"{t!r} {lc}".encode("ascii"), tmp)


def _acquired(lock: Any, depth: int) -> None:
    name = getattr(lock, "_ck_name", None) or "lock?"
    if lock._semlock._count() <= 1:  # the outermost acquire of an RLock (or any acquire of a Lock)
        _merge_stamp(name)
        _held_locks().append(name)
    probe = clock.probe()
    probe.emit(events.LOCK, lock=name, op="acquire", lc=clock.tick(), where=probe.where(sys._getframe(depth + 1)),
               **task_field())


def _releasing(lock: Any, depth: int) -> None:
    name = getattr(lock, "_ck_name", None) or "lock?"
    probe = clock.probe()
    lc = clock.tick()
    if lock._semlock._count() <= 1:
        _write_stamp(name, lc)
        held = _held_locks()
        if name in held:
            held.remove(name)
    probe.emit(events.LOCK, lock=name, op="release", lc=lc, where=probe.where(sys._getframe(depth + 1)),
               **task_field())


# -- shared values ----------------------------------------------------------------------------------------
class ObservedValue(multiprocessing.sharedctypes.Synchronized):  # type: ignore[type-arg]  # not generic at run time
    """``multiprocessing.Value(...)``: every read and write of ``.value`` is an event with both stamps."""

    _obj: Any  # set by Synchronized's base class: the shared ctypes object and the lock that guards it
    _lock: Any

    _ck_name = "value?"

    def __reduce__(self) -> Any:
        multiprocessing.context.assert_spawning(self)
        return _rebuild_value, (self._obj, self._lock, self._ck_name)

    def __repr__(self) -> str:
        """As Python's own (``<Synchronized wrapper for c_int(100)>``): the kit's class name is not the student's."""
        return f"<Synchronized wrapper for {self._obj}>"

    @property
    def value(self) -> Any:
        with _inner(self._lock):
            real = self._obj.value
        return _read(self._ck_name, real, 2)

    @value.setter
    def value(self, new: Any) -> None:
        with _inner(self._lock):
            self._obj.value = new
        _write(self._ck_name, new, 2)


class ObservedRawValue:
    """``multiprocessing.Value(..., lock=False)`` or ``RawValue(...)``: the same events, no lock at all."""

    def __init__(self, obj: Any, name: str) -> None:
        self._obj, self._ck_name = obj, name

    def __reduce__(self) -> Any:
        multiprocessing.context.assert_spawning(self)
        return ObservedRawValue, (self._obj, self._ck_name)

    def __repr__(self) -> str:
        return repr(self._obj)

    @property
    def value(self) -> Any:
        return _read(self._ck_name, self._obj.value, 2)

    @value.setter
    def value(self, new: Any) -> None:
        self._obj.value = new
        _write(self._ck_name, new, 2)


def _rebuild_value(obj: Any, lock: Any, name: str) -> ObservedValue:
    value = ObservedValue(obj, lock)
    value._ck_name = name
    return value


class _inner:
    """Take a value's own lock for one read or write, without stamps (what the standard library does)."""

    def __init__(self, lock: Any) -> None:
        self.lock = getattr(lock, "_semlock", lock)

    def __enter__(self) -> None:
        self.lock.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.lock.release()


def _access(name: str, op: str, value: Any, depth: int) -> None:
    probe = clock.probe()
    frame = sys._getframe(depth)
    probe.emit(events.SHARED, obj=name, op=op, value=value if isinstance(value, (int, float, str)) else _short(value),
               lc=clock.tick(), held=list(_held_locks()), where=probe.where(frame), **task_field())


def _read(name: str, real: Any, depth: int) -> Any:
    value = _replayed_read(name, real)
    _access(name, "read", value, depth + 1)
    return value


def _write(name: str, value: Any, depth: int) -> None:
    _access(name, "write", value, depth + 1)


def _replayed_read(name: str, real: Any) -> Any:
    """What the main program reads: the value the logical-time replay gives at this moment.

    Only the main thread of the main program reads this way (workers read memory, and the replay uses what they
    read).  It first lets every child still really running get past this moment of logical time (as a kill
    does), so that every access logically before the read is known, whatever the real speed of the processes.
    """
    if not run.root or threading.current_thread() is not threading.main_thread() \
            or clock.current_task() is not None:
        return real
    now = clock.clock()
    deadline = real_monotonic() + run.grace
    for proc in list(run.started):
        def behind(p: Any = proc) -> bool:
            return arbiter.stands_past(clock.process_context(p), p.pid)

        with RealWait():
            wait_past(proc, now, deadline, behind)
    me = (now, clock.lamport() + 1, clock.context())
    accesses = [ev for ev in all_events(events.SHARED) if ev.get("obj") == name
                and (ev["t"], ev.get("lc", 0), ev.get("id", "")) < me]
    if not accesses:
        return real
    # (even when only this thread has touched it yet: memory may already hold a child's later writes, made
    # sooner in real time than on logical time)
    result = replay(accesses)
    return result.value if result.value is not None else real


_kept: list[Any] = []
"""Every shared value and array the student's code made in this process, kept alive to the end of the run.

Why: ``multiprocessing`` gives a freed value's memory to the next one made.  A program that forgets to join its
workers drops its value while they still write to it, so the next value began with their writes (for real too,
at a moment that depends on machine speed): the same program printed 0, 1 or 2, and its verdict changed from run
to run.  Values that are never freed start clean, every run."""


def _patch_values() -> None:
    sc = multiprocessing.sharedctypes
    orig_value, orig_raw, orig_array, orig_raw_array = sc.Value, sc.RawValue, sc.Array, sc.RawArray

    def Value(typecode_or_type: Any, *args: Any, lock: Any = True, ctx: Any = None) -> Any:
        made = orig_value(typecode_or_type, *args, lock=lock, ctx=ctx)
        if not _from_student(1):
            return made
        _kept.append(made)
        name = _new_name("value")
        initial = made.value if lock is False else made._obj.value
        if lock is False:
            observed: Any = ObservedRawValue(made, name)
        else:
            observed = made
            observed.__class__ = ObservedValue
            observed._ck_name = name
        _access(name, "init", initial, 1)
        return observed

    def RawValue(typecode_or_type: Any, *args: Any) -> Any:
        made = orig_raw(typecode_or_type, *args)
        if sys._getframe(1).f_globals.get("__name__") == sc.__name__ or not _from_student(1):
            return made
        _kept.append(made)
        name = _new_name("value")
        _access(name, "init", made.value, 1)
        return ObservedRawValue(made, name)

    def Array(typecode_or_type: Any, size_or_initializer: Any, *, lock: Any = True, ctx: Any = None) -> Any:
        made = orig_array(typecode_or_type, size_or_initializer, lock=lock, ctx=ctx)
        if _from_student(1):
            _kept.append(made)
        return made

    def RawArray(typecode_or_type: Any, size_or_initializer: Any) -> Any:
        made = orig_raw_array(typecode_or_type, size_or_initializer)
        if sys._getframe(1).f_globals.get("__name__") != sc.__name__ and _from_student(1):
            _kept.append(made)
        return made

    sc.Value, sc.RawValue, sc.Array, sc.RawArray = Value, RawValue, Array, RawArray


def _patch_conditions() -> None:
    """A waiter on a ``Condition`` (and so on an ``Event`` or a ``Barrier``) stands aside on the arbiter's board
    until notified; a ``notify`` waits for its turn on logical time, so that a waiter that is logically earlier
    is already waiting when it comes, whatever the real speed of either process (a notify that came first in
    real time used to be lost)."""
    Condition = multiprocessing.synchronize.Condition
    orig_wait, orig_wait_for = Condition.wait, Condition.wait_for
    orig_notify, orig_notify_all = Condition.notify, Condition.notify_all

    def wait(self: Any, timeout: float | None = None) -> bool:
        if not _from_student(1, _SYNC) or not arbiter.enabled():
            return bool(orig_wait(self, timeout))
        if timeout is not None:
            return _timed_wait(self, clock.clock() + max(timeout, 0.0))
        arbiter.publish("wait")
        try:
            return bool(orig_wait(self, None))
        finally:
            arbiter.publish()

    def wait_for(self: Any, predicate: Any, timeout: float | None = None) -> Any:
        # The standard library counts what is left of the timeout on the real clock, where a timed-out wait took
        # no time: it would wait again and again.  Here it is counted on the waiter's logical clock.
        if timeout is None or not _from_student(1, _SYNC) or not arbiter.enabled():
            return orig_wait_for(self, predicate, timeout)
        end = clock.clock() + timeout
        result = predicate()
        while not result and end - clock.clock() > 0:
            self.wait(end - clock.clock())
            result = predicate()
        return result

    def turn_first(orig: Any) -> Any:
        def notify(self: Any, *args: Any, **kwargs: Any) -> None:
            if _from_student(1, _SYNC) and arbiter.enabled():
                arbiter.wait_turn(getattr(self._lock, "_ck_name", None) or "condition?")
                arbiter.publish()
            orig(self, *args, **kwargs)

        return notify

    orig_make = Condition._make_methods  # type: ignore[attr-defined]

    def enter(self: Any) -> bool:
        if _from_student(1, _SYNC) and arbiter.enabled():
            arbiter.wait_turn(getattr(self._lock, "_ck_name", None) or "condition?")
            arbiter.publish()
        return bool(self._lock.__enter__())

    def make_methods(self: Any) -> None:
        orig_make(self)
        lock_acquire = self._lock.acquire

        def acquire(*args: Any, **kwargs: Any) -> bool:
            if _from_student(1, _SYNC) and arbiter.enabled():
                arbiter.wait_turn(getattr(self._lock, "_ck_name", None) or "condition?")
                arbiter.publish()
            return bool(lock_acquire(*args, **kwargs))

        self.acquire = acquire

    Condition.__enter__ = enter  # type: ignore[method-assign]
    Condition._make_methods = make_methods  # type: ignore[attr-defined]
    Condition.wait = wait  # type: ignore[method-assign]
    Condition.wait_for = wait_for  # type: ignore[method-assign]
    Condition.notify = turn_first(orig_notify)  # type: ignore[method-assign]
    Condition.notify_all = turn_first(orig_notify_all)  # type: ignore[method-assign]


def _timed_wait(cond: Any, until: float) -> bool:
    """``Condition.wait(timeout)`` with its deadline on logical time (``arbiter.wait_notified``): the standard
    library's steps (sleeping count, release every level of the lock, wait, woken count, take the lock again)
    around a wait that the board decides.  Timed out, the lock is taken again at the deadline."""
    assert cond._lock._semlock._is_mine(), "must acquire() condition before using wait()"
    cond._sleeping_count.release()
    count = cond._lock._semlock._count()
    for _ in range(count):
        cond._lock.release()
    semaphore = cond._wait_semaphore
    try:
        return arbiter.wait_until(lambda s: bool(semaphore.acquire(True, s) if s else semaphore.acquire(False)), until)
    finally:
        cond._woken_count.release()
        for _ in range(count):
            cond._lock.acquire()
        arbiter.publish()


_BLOCKING_PROXY_CALLS = frozenset({"wait", "get", "acquire", "join"})
"""Methods of a manager's objects that may wait for another process (an event, a queue, a lock, a barrier)."""


def _proxy_call_from_student() -> bool:
    """Whether a proxy's method was called by the program (its methods are made by ``exec``, without a module)."""
    frame: Any = sys._getframe(2)
    while frame is not None and (frame.f_globals.get("__name__") in (None, "multiprocessing.managers", __name__)):
        frame = frame.f_back
    if frame is None:
        return False
    name = frame.f_globals.get("__name__", "")
    return not is_helper_module(name) and not name.startswith("coursekit.")


def _arg(args: Any, kwds: Any, index: int, key: str, default: Any) -> Any:
    return args[index] if len(args) > index else kwds.get(key, default)


def _get_timeout(args: Any, kwds: Any) -> Any:
    return _arg(args, kwds, 1, "timeout", None) if _arg(args, kwds, 0, "block", True) else None


def _acquire_timeout(args: Any, kwds: Any) -> Any:
    return _arg(args, kwds, 1, "timeout", None) if _arg(args, kwds, 0, "blocking", True) else None


def _no_item() -> Any:
    raise _queue.Empty


_TIMED_PROXY_CALLS: dict[tuple[str, str], tuple[Any, Any, Any]] = {
    ("Event", "wait"): (lambda a, k: _arg(a, k, 0, "timeout", None), lambda a, k: ((0,), {}), lambda: False),
    **{(typeid, "get"): (_get_timeout, lambda a, k: ((False,), {}), _no_item) for typeid in ("Queue", "JoinableQueue")},
    **{(typeid, "acquire"): (_acquire_timeout, lambda a, k: ((False,), {}), lambda: False)
       for typeid in ("Lock", "RLock", "Semaphore", "BoundedSemaphore")},
}
"""A manager's calls that wait with a timeout, done on logical time by asking without waiting (``_timed_proxy_call``):
(its timeout from its arguments, or ``None``; the arguments that ask without waiting; what it gives when it
times out: ``False``, or ``queue.Empty`` raised).  A ``Condition``'s or a ``Barrier``'s wait cannot be asked that
way: their timeouts stay real (README's known limits)."""


def _timed_proxy_call(ask: Any, name: str, until: float, timed_out: Any) -> Any:
    """A manager's call with a timeout, on logical time: asked without waiting, again and again, until it
    succeeds (a result, an item, ``True``) or no other thread of the tree could act before ``until``.

    Why: the manager waited out the timeout on the real clock, where the other processes' sleeps cost nothing,
    so ``event.wait(0.2)`` saw a ``set()`` made at 1 s, and a ``get(timeout=0.5)`` that nothing would fill timed
    out without moving the caller's clock.  A success happens at the time of the last call on the object before
    it (the set, the put: each writes its time first), a timeout at ``until``."""
    arbiter.wait_turn(name)
    got: list[Any] = []
    seen: list[str | None] = [None]

    def ready(seconds: float) -> bool:
        # Another's call on the object makes this wait's key that call's time until it has looked again (others
        # cannot run ahead of a wait that may be over), and a call still in progress is not looked past.
        begun = arbiter.last_call(name)
        if not arbiter.call_in_progress(name):
            try:
                value = ask()
            except _queue.Empty:  # (a get: anything else it gives is an item, even ``False``)
                value = got
            if value is not got and (value is not False or timed_out is _no_item):
                got.append(value)
                return True
            token = None if begun is None else begun[0]
            if token != seen[0]:
                seen[0] = token
                arbiter.publish("wait", until=until, on=name, seen=token, polls=True)
        if seconds:
            real_sleep(seconds)
        return False

    try:
        if arbiter.wait_until(ready, until, on=name, seen=None):  # (not looked yet: no one goes past it)
            _merge_stamp(name)
            return got[0]
        return timed_out()
    finally:
        arbiter.publish()


def _patch_proxies() -> None:
    """A manager's objects on logical time: the program's calls on one object go in logical-time order (the
    caller waits for its turn), and each happens after the previous call on it (a ``set()`` at 2.1 s wakes an
    ``Event`` proxy's waiter at 2.1 s; a list's appends come in the order of the appenders' clocks)."""
    from multiprocessing import managers

    orig_call = managers.BaseProxy._callmethod

    def callmethod(self: Any, methodname: str, args: Any = (), kwds: Any = None) -> Any:
        kwds = {} if kwds is None else kwds
        if not arbiter.enabled() or not _proxy_call_from_student():
            return orig_call(self, methodname, args, kwds)
        name = f"proxy-{getattr(self._token, 'id', '?')}"
        timed = _TIMED_PROXY_CALLS.get((getattr(self._token, "typeid", ""), methodname))
        timeout = timed[0](args, kwds) if timed is not None else None
        if timed is not None and timeout is not None:
            return _timed_proxy_call(lambda: orig_call(self, methodname, *timed[1](args, kwds)), name,
                                     clock.clock() + max(float(timeout), 0.0), timed[2])
        arbiter.wait_turn(name)
        _write_stamp(name, clock.tick())  # before the call: whoever it wakes goes on from here
        token = f"{os.getpid()}.{next(_uids)}"
        arbiter.call_begun(name, token, clock.clock())
        arbiter.publish("wait" if methodname in _BLOCKING_PROXY_CALLS else "run")
        try:
            return orig_call(self, methodname, args, kwds)
        finally:
            arbiter.call_done(name, token)
            _merge_stamp(name)

    managers.BaseProxy._callmethod = callmethod  # type: ignore[method-assign]


def install() -> None:
    _patch_queues()
    _patch_locks()
    _patch_conditions()
    _patch_values()
    _patch_proxies()
