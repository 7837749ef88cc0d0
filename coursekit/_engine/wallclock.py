"""Every wall-clock reader of the standard library follows ``time.time()`` (child side only).

Why: the engines make ``time.time()`` virtual, but ``time.localtime()``, ``time.strftime()``, ``time.ctime()``,
``datetime.now()``, ``date.today()`` and ``time.clock_gettime()`` read the system clock in C, so a program that
prints how long something took, or the time of each line, showed real wall time, frozen while its virtual clock
ran.

Why not freezegun (which the kit declares): the child side imports only the standard library, and freezegun
would bring ``dateutil`` into the student's interpreter; it also freezes a clock, where the engines need one that
reads a clock they already run.  Its idea is kept: a ``datetime`` subclass whose instance checks accept the real
class's instances, so that ``isinstance(x, datetime)`` holds for every datetime, whoever made it.

Each replacement is a module-level function carrying the original's ``__module__`` and ``__qualname__``
(``stand_in``), so that it pickles by reference as the original does (``pool.apply_async(time.sleep, ...)``).
``install`` puts one patch in place per function: ``patch_time_readers``, ``patch_clock_gettime``,
``patch_datetime``.
"""

from __future__ import annotations

import copyreg
import datetime as _dt
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

real_datetime = _dt.datetime
real_date = _dt.date
real_localtime = time.localtime
real_gmtime = time.gmtime
real_ctime = time.ctime
real_asctime = time.asctime
real_strftime = time.strftime
real_clock_gettime = getattr(time, "clock_gettime", None)  # POSIX only
real_clock_gettime_ns = getattr(time, "clock_gettime_ns", None)


def stand_in(original: Callable[..., Any], replacement: F) -> F:
    """``replacement`` named as ``original``, so that pickle finds it where it finds the original.

    Why: pickle stores a function as ``module.qualname`` and checks that this name leads back to the same object.
    A local closure has a ``<locals>`` qualname, which no pool can send to a worker.
    """
    replacement.__module__ = original.__module__
    replacement.__name__ = original.__name__
    replacement.__qualname__ = original.__qualname__
    replacement.__doc__ = original.__doc__
    return replacement


# -- the ``time`` module's readers: no argument means "now", which is ``time.time()`` ------------------------------
def localtime(secs: float | None = None) -> time.struct_time:
    return real_localtime(time.time() if secs is None else secs)


def gmtime(secs: float | None = None) -> time.struct_time:
    return real_gmtime(time.time() if secs is None else secs)


def ctime(secs: float | None = None) -> str:
    return real_ctime(time.time() if secs is None else secs)


def asctime(t: Any = None) -> str:
    return real_asctime(real_localtime(time.time()) if t is None else t)


def strftime(format: str, t: Any = None) -> str:
    return real_strftime(format, real_localtime(time.time()) if t is None else t)


def patch_time_readers() -> None:
    """``localtime``, ``gmtime``, ``ctime``, ``asctime`` and ``strftime`` without a time read ``time.time()``."""
    for original, replacement in ((real_localtime, localtime), (real_gmtime, gmtime), (real_ctime, ctime),
                                  (real_asctime, asctime), (real_strftime, strftime)):
        setattr(time, original.__name__, stand_in(original, replacement))


# -- ``time.clock_gettime(clk_id)``: the wall and monotonic clocks by id (POSIX) -----------------------------------
_WALL_IDS = {getattr(time, name) for name in ("CLOCK_REALTIME",) if hasattr(time, name)}
_MONOTONIC_IDS = {getattr(time, name) for name in ("CLOCK_MONOTONIC", "CLOCK_MONOTONIC_RAW", "CLOCK_BOOTTIME",
                                                    "CLOCK_UPTIME", "CLOCK_UPTIME_RAW", "CLOCK_HIGHRES")
                  if hasattr(time, name)}
_TAI_IDS = {getattr(time, name) for name in ("CLOCK_TAI",) if hasattr(time, name)}
_offset_ns: dict[int, int] = {}
"""Per clock id: how far it is (really) from the real clock it follows, read once: the clock follows the virtual
one at that distance.  CPU-time clocks (``CLOCK_PROCESS_CPUTIME_ID``, ``CLOCK_THREAD_CPUTIME_ID``) stay real."""


def _virtual_ns(clk_id: int) -> int | None:
    """``clk_id`` read on the virtual clock, in nanoseconds (``None``: a clock that stays real)."""
    if clk_id in _WALL_IDS:  # the float readers: every model makes those virtual (the processes model not the _ns)
        return round(time.time() * 1e9)
    if clk_id in _MONOTONIC_IDS or clk_id in _TAI_IDS:
        if clk_id not in _offset_ns:
            assert real_clock_gettime_ns is not None
            base = time.CLOCK_REALTIME if clk_id in _TAI_IDS else time.CLOCK_MONOTONIC
            _offset_ns[clk_id] = real_clock_gettime_ns(clk_id) - real_clock_gettime_ns(base)
        return round((time.time() if clk_id in _TAI_IDS else time.monotonic()) * 1e9) + _offset_ns[clk_id]
    return None


def clock_gettime(clk_id: int) -> float:
    ns = _virtual_ns(clk_id)
    if ns is None:
        assert real_clock_gettime is not None
        return float(real_clock_gettime(clk_id))
    return ns / 1e9


def clock_gettime_ns(clk_id: int) -> int:
    ns = _virtual_ns(clk_id)
    if ns is None:
        assert real_clock_gettime_ns is not None
        return int(real_clock_gettime_ns(clk_id))
    return ns


def patch_clock_gettime() -> None:
    """``clock_gettime(CLOCK_REALTIME)`` reads ``time.time()``, the monotonic ids ``time.monotonic()`` (POSIX)."""
    if real_clock_gettime is None or real_clock_gettime_ns is None:
        return
    time.clock_gettime = stand_in(real_clock_gettime, clock_gettime)
    time.clock_gettime_ns = stand_in(real_clock_gettime_ns, clock_gettime_ns)


# -- ``datetime``: subclasses whose constructors make real instances -------------------------------------------------
class _RealInstances(type):
    """Instance and subclass checks against the stand-in class ask the real class (freezegun's idea)."""

    _real: type

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, cls._real)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls._real)


class date(real_date, metaclass=_RealInstances):
    """``datetime.date`` whose ``today()`` reads ``time.time()``; every instance is a real ``date``."""

    _real = real_date

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return real_date(*args, **kwargs)

    @classmethod
    def today(cls) -> Any:
        return real_date.fromtimestamp(time.time())


class datetime(real_datetime, metaclass=_RealInstances):
    """``datetime.datetime`` whose ``now()``, ``today()`` and ``utcnow()`` read ``time.time()``."""

    _real = real_datetime

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return real_datetime(*args, **kwargs)

    @classmethod
    def now(cls, tz: _dt.tzinfo | None = None) -> Any:
        return real_datetime.fromtimestamp(time.time(), tz)

    @classmethod
    def today(cls) -> Any:
        return real_datetime.fromtimestamp(time.time())

    @classmethod
    def utcnow(cls) -> Any:
        if sys.version_info >= (3, 12):  # as the real one warns, at the caller's line
            warnings.warn("datetime.datetime.utcnow() is deprecated and scheduled for removal in a future version. "
                          "Use timezone-aware objects to represent datetimes in UTC: "
                          "datetime.datetime.now(datetime.UTC).", DeprecationWarning, stacklevel=2)
        return real_datetime.fromtimestamp(time.time(), _dt.UTC).replace(tzinfo=None)


for _cls, _real in ((date, real_date), (datetime, real_datetime)):
    _cls.__module__, _cls.__qualname__, _cls.__doc__ = "datetime", _real.__qualname__, _real.__doc__


def _reduce_datetime(obj: Any) -> tuple[Any, ...]:
    return (datetime, obj.__reduce__()[1])


def _reduce_date(obj: Any) -> tuple[Any, ...]:
    return (date, obj.__reduce__()[1])


def patch_datetime() -> None:
    """``datetime.datetime`` and ``datetime.date`` are the stand-ins, for every ``import`` from now on.

    A real instance pickles through its class, found by the name ``datetime.datetime``, which is now the stand-in:
    ``copyreg`` sends it through the stand-in instead (which makes a real instance again, in any interpreter).
    """
    _dt.datetime = datetime  # type: ignore[misc]
    _dt.date = date  # type: ignore[misc]
    copyreg.pickle(real_datetime, _reduce_datetime)
    copyreg.pickle(real_date, _reduce_date)


def install() -> None:
    """Make every wall-clock reader follow ``time.time()`` (installed after the engine made that clock virtual)."""
    patch_time_readers()
    patch_clock_gettime()
    patch_datetime()
