"""What a thread, a process or a pool call runs, named as a timeline shows it (``print_numbers``, ``Worker.run``).

Why one function: the engines used to name targets three ways, and one of them fell back on ``repr``, which
holds a memory address and so differed between the student's run and the reference's.
"""

from __future__ import annotations

from typing import Any


def callable_name(fn: Any) -> str:
    """A function's qualified name; for a callable without one (a ``partial``, an instance), its type's name."""
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__


def target_name(runner: Any, base: type) -> str:
    """What a ``Thread`` or ``Process`` (``runner``, an instance of ``base``) runs: its ``target``, else its own
    ``run`` method when a subclass overrides ``base.run``, else ``""``.  Read it before ``start()``, which
    forgets the target."""
    target = getattr(runner, "_target", None)
    if target is not None:
        return callable_name(target)
    if type(runner).run is not getattr(base, "run", None):
        return f"{type(runner).__qualname__}.run"
    return ""
