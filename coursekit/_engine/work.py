"""Work evidence, child side: record every call of the functions a grader names as the work.

Why: printed lines can be faked (one coroutine printing the whole schedule, a parent computing what its "workers"
should have), calls of the work cannot be skipped without leaving a trace.  The grader names the functions
(``Grader(work=("fetch",))``); after the student's module (and the grader's driver module) is imported, each named
function is replaced, in the module that defines it, by a wrapper that emits one ``work`` event per call: the
function, a short summary of its arguments, the context that ran it, when it began and how long it took on the
run's clock.  The judge (``coursekit.checks._work``) compares those calls with the reference's.

A name is looked up in the student's module first, then in the driver's (work the grader hands to the student,
as ``fetch`` in ``thread_pool_fetch``); ``Class.method`` names a method.  A coroutine function gets a coroutine
wrapper, so a call is timed from its first step to its end, in the task that awaits it.  Functions sent to
worker processes keep working by name: the wrapper takes the function's module and qualified name, and forked
workers inherit the wrapped module.  A process started with ``spawn`` or ``forkserver`` imports the student's
module afresh (when it unpickles its target), so ``carry`` leaves the names and the module's name in the
environment and ``install_from_environment`` (run by ``boot/sitecustomize.py`` through the processes engine) wraps
the same functions there as soon as that import has run: every interpreter of the tree records its calls.  Only
the standard library and this package are imported (the child side).
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import inspect
import json
import os
import sys
import types
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from coursekit._engine import events
from coursekit._engine.probe import Probe

_PLAIN = (int, float, str, bytes, bool, type(None))


def summary(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """The arguments of a call as the judge compares them: plain values by ``repr``, anything else (a queue, a
    shared value whose repr shows its changing contents) by its type alone, so two runs agree on the same call."""

    def one(x: Any) -> str:
        if isinstance(x, _PLAIN):
            return repr(x)[:40]
        if isinstance(x, (tuple, list)) and all(isinstance(y, _PLAIN) for y in x) and len(x) <= 8:
            return repr(x)[:60]
        return f"<{type(x).__name__}>"

    parts = [one(a) for a in args] + [f"{k}={one(v)}" for k, v in sorted(kwargs.items())]
    return ", ".join(parts)[:120]


def _task_field() -> dict[str, str]:
    """Inside a pool call of the processes engine, the call's uid (its event times are relative to it)."""
    clock = sys.modules.get("coursekit._engine.processes.clock")
    return clock.task_field() if clock is not None else {}


def _wrap(probe: Probe, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def record(t0: float, args: tuple[Any, ...], kwargs: dict[str, Any], how: str, cid: str) -> None:
        d = max(0.0, round(probe.clock() - t0, 9))
        probe.emit(events.WORK, t=round(t0, 9), id=cid, name=name, args=summary(args, kwargs), d=d, how=how,
                   **_task_field())

    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def awork(*args: Any, **kwargs: Any) -> Any:
            t0, cid, how = probe.clock(), probe.context(), "raised"
            try:
                result = await fn(*args, **kwargs)
                how = "returned"
                return result
            finally:
                record(t0, args, kwargs, how, cid)

        return awork

    @functools.wraps(fn)
    def work(*args: Any, **kwargs: Any) -> Any:
        t0, cid, how = probe.clock(), probe.context(), "raised"
        try:
            result = fn(*args, **kwargs)
            how = "returned"
            return result
        finally:
            record(t0, args, kwargs, how, cid)

    return work


def install(probe: Probe, names: Iterable[str], *namespaces: Any) -> list[str]:
    """Wrap each named function where the first of ``namespaces`` (a module, or a function's globals dict, as
    the driver's) that has it defines it; return the names found.

    A name found nowhere is left alone: the student may have removed a given function, and the judge then sees
    no call of it, which is what happened."""
    found = []
    for name in names:
        owner_name, _, attr = name.rpartition(".")
        for space in namespaces:
            if space is None:
                continue
            owner = _get(space, owner_name) if owner_name else space
            fn = _get(owner, attr) if owner is not None else None
            if not callable(fn) or inspect.isclass(fn) or getattr(fn, "__wrapped_work__", False):
                continue
            wrapped = _wrap(probe, name, fn)
            wrapped.__wrapped_work__ = True  # type: ignore[attr-defined]
            if isinstance(owner, dict):
                owner[attr] = wrapped
            else:
                setattr(owner, attr, wrapped)
            found.append(name)
            break
    return found


def _get(space: Any, name: str) -> Any:
    return space.get(name) if isinstance(space, dict) else getattr(space, name, None)


# -- every interpreter of the tree ------------------------------------------------------------------------------
ENV = "COURSEKIT_WORK"
"""The environment variable that carries ``{"module": name, "names": [...]}`` to child interpreters."""


def carry(names: Iterable[str], module: str) -> None:
    """Let every interpreter started from here on wrap ``names`` in the student's module ``module`` too."""
    wanted = list(names)
    if wanted:
        os.environ[ENV] = json.dumps({"module": module, "names": wanted})


def install_from_environment(probe: Probe) -> None:
    """In a child interpreter: wrap the carried work in the student's module, now if it is already imported
    (a forked child inherits it, wrapped already), else as soon as it is (a spawned child imports it afresh)."""
    raw = os.environ.get(ENV)
    if not raw:
        return
    try:
        carried = json.loads(raw)
        module, names = str(carried["module"]), [str(n) for n in carried["names"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise RuntimeError(f"{ENV} in the environment is not the harness's work settings ({raw[:80]!r}): "
                           f"{exc}") from exc
    if module in sys.modules:
        install(probe, names, sys.modules[module])
    elif not any(isinstance(f, _WrapOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _WrapOnImport(probe, module, names))


class _WrapOnImport(importlib.abc.MetaPathFinder):
    """Finds the student's module as the other finders would, and wraps its work once its code has run."""

    def __init__(self, probe: Probe, module: str, names: list[str]) -> None:
        self.probe, self.module, self.names = probe, module, names

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.module:
            return None
        spec: importlib.machinery.ModuleSpec | None = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None) if finder is not self else None
            spec = find(fullname, path, target) if find is not None else None
            if spec is not None:
                break
        if spec is None:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _WrappingLoader(spec.loader, self.probe, self.names)
        return spec


class _WrappingLoader(importlib.abc.Loader):
    def __init__(self, inner: Any, probe: Probe, names: list[str]) -> None:
        self.inner, self.probe, self.names = inner, probe, names

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        module: types.ModuleType | None = self.inner.create_module(spec)
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        self.inner.exec_module(module)
        install(self.probe, self.names, module)


__all__ = ["carry", "install", "install_from_environment", "summary"]
