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
import multiprocessing.sharedctypes
import multiprocessing.synchronize
import os
import sys
import threading
from typing import Any

from coursekit._engine import events
from coursekit._engine.processes import clock
from coursekit._engine.processes.clock import is_helper_module, run, task_field
from coursekit._engine.processes.peers import all_events, wait_past
from coursekit._engine.processes.watchdog import RealWait
from coursekit._engine.real import monotonic as real_monotonic
from coursekit._engine.replay import replay

_INTERNAL = ("multiprocessing.queues", "multiprocessing.connection", "multiprocessing.context",
             "multiprocessing.synchronize", "multiprocessing.sharedctypes", __name__)
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


def _send(obj: Any, channel: str, where_depth: int) -> Stamp:
    probe = clock.probe()
    uid = f"{os.getpid()}.{next(_uids)}"
    stamp = Stamp(obj, clock.clock(), clock.tick(), uid)
    probe.emit(events.QUEUE_PUT, uid=uid, via=channel, item=_short(obj), lc=stamp.lc,
               where=probe.where(sys._getframe(where_depth + 1)), **task_field())
    return stamp


def _receive(value: Any, channel: str) -> Any:
    if not isinstance(value, Stamp):
        return value
    clock.merge(value.t, value.lc)
    probe = clock.probe()
    probe.emit(events.QUEUE_GET, uid=value.uid, via=channel, lc=clock.tick(), where=probe.where(sys._getframe(2)),
               **task_field())
    return value.obj


def _patch_queues() -> None:
    Q, JQ, SQ = multiprocessing.queues.Queue, multiprocessing.queues.JoinableQueue, multiprocessing.queues.SimpleQueue
    Conn = multiprocessing.connection._ConnectionBase

    def putter(orig: Any, channel: str) -> Any:
        def put(self: Any, obj: Any, *args: Any, **kwargs: Any) -> Any:
            if _from_student(1):
                obj = _send(obj, channel, 1)
            return orig(self, obj, *args, **kwargs)

        put.__wrapped__ = orig  # type: ignore[attr-defined]
        return put

    def getter(orig: Any, channel: str) -> Any:
        def get(self: Any, *args: Any, **kwargs: Any) -> Any:
            return _receive(orig(self, *args, **kwargs), channel)

        get.__wrapped__ = orig  # type: ignore[attr-defined]
        return get

    Q.put = putter(Q.put, "queue")  # type: ignore[method-assign]
    JQ.put = putter(JQ.put, "queue")  # type: ignore[method-assign]
    SQ.put = putter(SQ.put, "queue")  # type: ignore[method-assign]
    Q.get = getter(Q.get, "queue")  # type: ignore[method-assign]
    SQ.get = getter(SQ.get, "queue")  # type: ignore[method-assign]
    Conn.send = putter(Conn.send, "pipe")  # type: ignore[method-assign]
    Conn.recv = getter(Conn.recv, "pipe")  # type: ignore[method-assign]


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

    def make_methods(self: Any) -> None:
        orig_make(self)
        if self._semlock.maxvalue != 1:  # a counting semaphore has no single "previous release"
            return
        sem = self._semlock

        def acquire(block: bool = True, timeout: float | None = None) -> bool:
            got: bool = sem.acquire(block, timeout)
            if got and _from_student(1, ()):
                _acquired(self, 2)
            return got

        def release() -> None:
            if _from_student(1, ()):
                _releasing(self, 2)
            sem.release()

        self.acquire, self.release = acquire, release

    def enter(self: Any) -> bool:
        got: bool = self._semlock.__enter__()
        if self._semlock.maxvalue == 1 and _from_student(1, ()):
            _acquired(self, 2)
        return got

    def exit(self: Any, *args: Any) -> Any:
        if self._semlock.maxvalue == 1 and _from_student(1, ()):
            _releasing(self, 2)
        return self._semlock.__exit__(*args)

    def getstate(self: Any) -> Any:
        state: Any = orig_get(self)
        return (*state, getattr(self, "_ck_name", None))

    def setstate(self: Any, state: Any) -> None:
        *rest, self._ck_name = state
        orig_set(self, tuple(rest))

    SemLock.__init__ = init  # type: ignore[method-assign]
    SemLock._make_methods = make_methods  # type: ignore[attr-defined]
    SemLock.__enter__ = enter  # type: ignore[method-assign]
    SemLock.__exit__ = exit  # type: ignore[method-assign]
    SemLock.__getstate__ = getstate  # type: ignore[method-assign]
    SemLock.__setstate__ = setstate  # type: ignore[attr-defined]


def _held_locks() -> list[str]:
    if not hasattr(_held, "names"):
        _held.names = []
    return _held.names  # type: ignore[no-any-return]


def _acquired(lock: Any, depth: int) -> None:
    name = getattr(lock, "_ck_name", None) or "lock?"
    if lock._semlock._count() <= 1:  # the outermost acquire of an RLock (or any acquire of a Lock)
        try:
            with open(_stamp_path(name), encoding="ascii") as f:
                t, lc = f.read().split()
            clock.merge(float(t), int(lc))
        except (OSError, ValueError):
            pass  # never released yet
        _held_locks().append(name)
    probe = clock.probe()
    probe.emit(events.LOCK, lock=name, op="acquire", lc=clock.tick(), where=probe.where(sys._getframe(depth + 1)),
               **task_field())


def _releasing(lock: Any, depth: int) -> None:
    name = getattr(lock, "_ck_name", None) or "lock?"
    probe = clock.probe()
    lc = clock.tick()
    if lock._semlock._count() <= 1:
        t = clock.clock() if clock.current_task() is None else 0.0
        tmp = _stamp_path(name) + f".{os.getpid()}.{threading.get_ident()}"
        with open(tmp, "w", encoding="ascii") as f:
            f.write(f"{t!r} {lc}")
        os.replace(tmp, _stamp_path(name))
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
        with RealWait():
            wait_past(proc, now, deadline)
    me = (now, clock.lamport() + 1, clock.context())
    accesses = [ev for ev in all_events(events.SHARED) if ev.get("obj") == name
                and (ev["t"], ev.get("lc", 0), ev.get("id", "")) < me]
    if not any(ev.get("id") != clock.context() for ev in accesses):
        return real
    result = replay(accesses)
    return result.value if result.value is not None else real


def _patch_values() -> None:
    sc = multiprocessing.sharedctypes
    orig_value, orig_raw = sc.Value, sc.RawValue

    def Value(typecode_or_type: Any, *args: Any, lock: Any = True, ctx: Any = None) -> Any:
        made = orig_value(typecode_or_type, *args, lock=lock, ctx=ctx)
        if not _from_student(1):
            return made
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
        name = _new_name("value")
        _access(name, "init", made.value, 1)
        return ObservedRawValue(made, name)

    sc.Value = Value
    sc.RawValue = RawValue


def install() -> None:
    _patch_queues()
    _patch_locks()
    _patch_values()
