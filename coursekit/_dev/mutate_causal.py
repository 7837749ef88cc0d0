"""Mutants of right time, wrong cause: a wait replaced by a sleep, a cancelled task never awaited.

Why their own module: these mistakes keep every line at its reference time, so only the order check's
happens-before (``coursekit._judge.causality``) can kill them; they are registered in
``coursekit._dev.mutate.OPERATORS`` like every other operator.  The sites are found by shape only.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coursekit._dev.mutate import _Site


def _sleep_total(fn: ast.AST) -> float:
    """The virtual seconds a function sleeps, when its sleeps are constants in loops over literals."""
    total = 0.0

    def walk(node: ast.AST, times: float) -> None:
        nonlocal total
        if isinstance(node, ast.For):
            n = _iterations(node.iter)
            for stmt in node.body:
                walk(stmt, times * n)
            return
        if isinstance(node, ast.Call) and _name(node) == "sleep" and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, (int, float)):
            total += float(node.args[0].value) * times
        for child in ast.iter_child_nodes(node):
            walk(child, times)

    walk(fn, 1.0)
    return total


def _iterations(it: ast.expr) -> float:
    if isinstance(it, ast.Constant) and isinstance(it.value, str):
        return float(len(it.value))
    if isinstance(it, (ast.List, ast.Tuple)):
        return float(len(it.elts))
    if isinstance(it, ast.Call) and _name(it) == "range" and all(isinstance(a, ast.Constant) for a in it.args):
        bounds = [a.value for a in it.args if isinstance(a, ast.Constant) and isinstance(a.value, int)]
        if len(bounds) == len(it.args) and 1 <= len(bounds) <= 2:
            return float(len(range(*bounds)))
    return 1.0


def _name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id if isinstance(
        call.func, ast.Name) else ""


def _longest_work(tree: ast.Module) -> float:
    """The longest any one function of the module sleeps: what a student would sleep instead of waiting."""
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return max((_sleep_total(f) for f in funcs), default=0.0) or 1.0


def sleep_for_join(tree: ast.Module) -> list[_Site]:
    """``t.join()`` / ``p.join()`` -> ``time.sleep(D)``; ``await task`` -> ``await asyncio.sleep(D)``, with ``D``
    the longest a worker function sleeps: every line keeps its time, only the cause is gone."""
    from coursekit._dev.mutate import _blocks, _call_of, _replace_stmt, _Site  # here: mutate registers this module

    seconds = _longest_work(tree)
    out = []
    for block in _blocks(tree):
        for stmt in block:
            call = _call_of(stmt)
            if call is not None and isinstance(call.func, ast.Attribute) and call.func.attr == "join" \
                    and not call.args and not isinstance(call.func.value, ast.Constant) \
                    and not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Await)):
                new = ast.parse(f"__import__('time').sleep({seconds!r})").body
                out.append(_Site(stmt, f"sleep {seconds:g} s instead of `{ast.unparse(stmt)}`",
                                 _replace_stmt(block, stmt, [ast.copy_location(new[0], stmt)])))
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Await) \
                    and isinstance(stmt.value.value, ast.Name):
                new = ast.parse(f"async def _():\n    await __import__('asyncio').sleep({seconds!r})").body
                assert isinstance(new[0], ast.AsyncFunctionDef)
                out.append(_Site(stmt, f"sleep {seconds:g} s instead of `{ast.unparse(stmt)}`",
                                 _replace_stmt(block, stmt, [ast.copy_location(new[0].body[0], stmt)])))
    return out


def cancel_without_await(tree: ast.Module) -> list[_Site]:
    """``task.cancel()`` (or ``for t in tasks: t.cancel()``) followed by a statement that awaits ``task`` (or
    ``tasks``, or a ``try`` around it): that statement removed, so the cancelled task's clean-up is not waited
    for."""
    from coursekit._dev.mutate import _blocks, _call_of, _replace_stmt, _Site

    out = []
    for block in _blocks(tree):
        for i, stmt in enumerate(block):
            target = _cancelled(stmt, _call_of)
            if target is None:
                continue
            for later in block[i + 1 :]:
                awaited = [n for n in ast.walk(later) if isinstance(n, ast.Await) and target in ast.unparse(n.value)]
                if awaited:
                    out.append(_Site(later, f"cancel `{target}` without awaiting it",
                                     _replace_stmt(block, later, [])))
                    break
    return out


def _cancelled(stmt: ast.stmt, call_of: Callable[[ast.stmt], ast.Call | None]) -> str | None:
    """What ``stmt`` cancels, as written: ``task`` for ``task.cancel()``, ``tasks`` for ``for t in tasks:
    t.cancel()``; None if it cancels nothing."""
    if isinstance(stmt, ast.For) and len(stmt.body) == 1 and not stmt.orelse and isinstance(stmt.target, ast.Name):
        inner = call_of(stmt.body[0])
        if inner is not None and isinstance(inner.func, ast.Attribute) and inner.func.attr == "cancel" \
                and ast.unparse(inner.func.value) == stmt.target.id:
            return ast.unparse(stmt.iter)
        return None
    call = call_of(stmt)
    if call is None or not isinstance(call.func, ast.Attribute) or call.func.attr != "cancel":
        return None
    return ast.unparse(call.func.value)
