"""Mutants of inputs the grader never tries: code that is right only for the one scenario the demo shows.

Why their own module: each of these mistakes is harmless for some inputs (one waiter, the demo's size) and
wrong for others, so only a grader whose driver varies the scenario (several waiters, other sizes) kills them.
Registered in ``coursekit._dev.mutate.OPERATORS``; the sites are found by shape only:

- ``if-for-while-wait``: ``while not ready: cond.wait()`` -> ``if not ready: cond.wait()`` (a waiter woken
  for someone else's reason goes on as if its condition held);
- ``notify-some``: ``cond.notify_all()`` -> ``cond.notify(SOME_WAITERS)`` (right while there are at most that
  many waiters);
- ``constant-size``: a parameter used as a size (``range(n)``, ``max_workers=n``, ``Semaphore(n)``...)
  replaced by the constant the file's own demo passes for it first (else the parameter's default).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coursekit._dev.mutate import _Site

Def = ast.FunctionDef | ast.AsyncFunctionDef

SOME_WAITERS = 2
"""``notify_all()`` -> ``notify(2)``: not ``notify()`` (that is ``notify-one``), yet fewer than a driver with
several waiters has; a student who counted the demo's waiters writes such a constant."""

SIZE_KEYWORDS = frozenset({"max_workers", "processes", "maxsize", "parties", "value", "limit"})
"""Keyword arguments whose value is a size: ``ThreadPoolExecutor(max_workers=n)``, ``Pool(processes=n)``..."""

SIZE_CALLS = frozenset({"range", "Semaphore", "BoundedSemaphore", "Barrier", "Queue", "JoinableQueue",
                        "ThreadPoolExecutor", "ProcessPoolExecutor", "Pool"})
"""Calls whose positional arguments are sizes: ``range(n)``, ``Semaphore(n)``, ``Barrier(n)``..."""


def _called(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        return node.func.attr if isinstance(node.func, ast.Attribute) else (
            node.func.id if isinstance(node.func, ast.Name) else "")
    return ""


def _waits(stmt: ast.stmt) -> bool:
    """``x.wait()`` or ``await x.wait()`` as a statement (a condition's wait, not ``wait_for``)."""
    value = stmt.value if isinstance(stmt, ast.Expr) else None
    value = value.value if isinstance(value, ast.Await) else value
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "wait"


def if_for_while(tree: ast.Module) -> list[_Site]:
    """``while cond: ... x.wait() ...`` (no ``else``) -> ``if cond: ...``: the condition is tested once."""
    from coursekit._dev.mutate import _Parents, _Site  # here: mutate registers this module

    parents = _Parents(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.While) and not node.orelse and any(_waits(s) for s in node.body):
            new = ast.copy_location(ast.If(node.test, node.body, []), node)
            out.append(_Site(node, f"test once: `while {ast.unparse(node.test)}:` -> `if ...:` around the wait",
                             parents.replacer(node, new)))
    return out


def notify_some(tree: ast.Module) -> list[_Site]:
    from coursekit._dev.mutate import _method_stmts, _Site

    out = []
    for _, stmt, call in _method_stmts(tree, {"notify_all"}):
        def apply(call: ast.Call = call) -> None:
            assert isinstance(call.func, ast.Attribute)
            call.func.attr = "notify"
            call.args = [ast.Constant(SOME_WAITERS)]

        out.append(_Site(stmt, f"wake only {SOME_WAITERS} waiters: `{ast.unparse(call)}` -> "
                         f"notify({SOME_WAITERS})", apply))
    return out


def _size_uses(fn: Def, param: str) -> list[ast.Name]:
    """Where ``fn``'s own code (not a nested function) reads ``param`` as a size."""
    uses: list[ast.Name] = []

    def walk(node: ast.AST) -> None:
        if isinstance(node, ast.Call):
            spots: list[ast.expr] = [k.value for k in node.keywords if k.arg in SIZE_KEYWORDS]
            if _called(node) in SIZE_CALLS:
                spots += node.args
            for spot in spots:
                uses.extend(n for n in ast.walk(spot) if isinstance(n, ast.Name) and n.id == param)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                walk(child)

    for stmt in fn.body:
        walk(stmt)
    return uses


def _first_value(tree: ast.Module, fn: Def, param: str) -> int | None:
    """The int the module's own code passes first for ``fn``'s ``param`` (a demo call), else its default."""
    positional = [a.arg for a in fn.args.posonlyargs + fn.args.args]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) == fn.name:
            given = next((k.value for k in node.keywords if k.arg == param), None)
            if given is None and param in positional and positional.index(param) < len(node.args):
                given = node.args[positional.index(param)]
            if isinstance(given, ast.Constant) and type(given.value) is int:
                return given.value
    defaults = dict(zip(positional[len(positional) - len(fn.args.defaults):], fn.args.defaults, strict=True))
    defaults |= {a.arg: d for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True) if d is not None}
    default = defaults.get(param)
    return default.value if isinstance(default, ast.Constant) and type(default.value) is int else None


def constant_size(tree: ast.Module) -> list[_Site]:
    """Per function and parameter used as a size: every such use replaced by the demo's (or default) value."""
    from coursekit._dev.mutate import _Parents, _Site

    parents = _Parents(tree)
    out = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for arg in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs:
            uses = _size_uses(fn, arg.arg)
            value = _first_value(tree, fn, arg.arg) if uses else None
            if value is None:
                continue
            replacers = [parents.replacer(u, ast.copy_location(ast.Constant(value), u)) for u in uses]

            def apply(replacers: list[Callable[[], None]] = replacers) -> None:
                for replace in replacers:
                    replace()

            first = min(uses, key=lambda u: (u.lineno, u.col_offset))
            out.append(_Site(first, f"hard-code the size: `{arg.arg}` -> {value} in {fn.name}() "
                             f"({len(uses)} place(s))", apply))
    return out
