"""Mutants that are races: a window between two steps of one thread in which another thread acts.

Why their own module: these mistakes never show when threads hand over only where they block (the fifo and
lifo schedules); only an explored schedule, which may switch threads at any call or store of the student's code
(``coursekit._engine.exploration``), opens the window.  So each of them says whether exploration reaches the
exercises where it applies.  Registered in ``coursekit._dev.mutate.OPERATORS``; the sites are found by shape only:

- ``empty-then-get``: a queue loop ``while True: x = q.get() ...`` tests the queue first: an ``if q.empty():
  break`` guard before the ``get()``, or ``while not q.empty():`` as the loop.  Two workers can both see one item
  left; the one that loses the race waits in ``get()`` for ever.  The sentinel puts (``q.put(None)``,
  ``q.put(STOP)``) of the module are removed too, since the test of ``empty()`` stands for them: with one
  sentinel per worker still there, every worker would meet its own before the queue is empty, and the mutant
  would be a correct program;
- ``check-outside-lock``: ``with c: ... while not P: c.wait() ...`` -> ``while not P: with c: c.wait()``, the
  statements before and after the loop kept under the lock: the condition is tested without the lock, so a
  ``notify()`` between the test and the ``wait()`` is lost (a lost wake-up);
- ``drop-yield``: a ``time.sleep(0)`` / ``await asyncio.sleep(0)`` statement removed (the window a stub may open
  on purpose between a read and its write; without it, a read-modify-write is still a race, only a narrower one).
"""

from __future__ import annotations

import ast
import copy
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coursekit._dev.mutate import _Site

Body = list[ast.stmt]


def _attr_call(node: ast.AST | None, name: str) -> ast.Call | None:
    """``node`` if it is a call of a method ``name`` on something that is not a constant (``q.get()``)."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name
            and not isinstance(node.func.value, ast.Constant)):
        return node
    return None


def _queue_get(stmt: ast.stmt) -> ast.Call | None:
    """``x = q.get()`` / ``a, b = q.get()`` (a blocking get with no argument: ``d.get(key)`` is no queue)."""
    if isinstance(stmt, ast.Assign):
        call = _attr_call(stmt.value, "get")
        if call is not None and not call.args and not call.keywords:
            return call
    return None


def _empty(receiver: ast.expr) -> ast.Call:
    return ast.Call(ast.Attribute(copy.deepcopy(receiver), "empty", ast.Load()), [], [])


def empty_then_get(tree: ast.Module) -> list[_Site]:
    """Per ``while True:`` loop with a ``x = q.get()`` in its body: a guard before it, or the loop's test."""
    from coursekit._dev.mutate import _blocks, _is_sentinel, _method_stmts, _Site

    sentinel_puts = [(block, stmt) for block, stmt, call in _method_stmts(tree, {"put", "put_nowait"})
                     if len(call.args) == 1 and _is_sentinel(call.args[0])]

    def drop_sentinels() -> None:
        for block, stmt in sentinel_puts:
            i = next(i for i, s in enumerate(block) if s is stmt)
            block[i] = ast.copy_location(ast.Pass(), stmt)

    out = []
    for block in _blocks(tree):
        for loop in block:
            if not (isinstance(loop, ast.While) and isinstance(loop.test, ast.Constant) and loop.test.value is True
                    and not loop.orelse):
                continue
            get = next(((s, c) for s in loop.body if (c := _queue_get(s)) is not None), None)
            if get is None:
                continue
            stmt, call = get
            assert isinstance(call.func, ast.Attribute)
            queue = call.func.value
            q = ast.unparse(queue)
            also = " (and the sentinels removed)" if sentinel_puts else ""

            def guard(loop: ast.While = loop, stmt: ast.stmt = stmt, queue: ast.expr = queue) -> None:
                i = next(i for i, s in enumerate(loop.body) if s is stmt)
                test = ast.If(_empty(queue), [ast.Break()], [])
                loop.body.insert(i, ast.copy_location(test, stmt))
                drop_sentinels()

            def test(loop: ast.While = loop, queue: ast.expr = queue) -> None:
                loop.test = ast.UnaryOp(ast.Not(), _empty(queue))
                drop_sentinels()

            out.append(_Site(stmt, f"test the queue first: `if {q}.empty(): break` before `{ast.unparse(stmt)}`"
                             f"{also}", guard))
            out.append(_Site(loop, f"loop while the queue has items: `while True:` -> `while not {q}.empty():`"
                             f"{also}", test))
    return out


def _waits_on(stmt: ast.stmt, held: str) -> bool:
    """``c.wait()`` / ``c.wait(t)`` (or awaited) as a statement, ``c`` being the lock ``held``."""
    value = stmt.value if isinstance(stmt, ast.Expr) else None
    value = value.value if isinstance(value, ast.Await) else value
    call = _attr_call(value, "wait")
    return call is not None and ast.unparse(call.func.value) == held  # type: ignore[attr-defined]


def check_outside_lock(tree: ast.Module) -> list[_Site]:
    """``with c: <before> while P: ... c.wait() ... <after>`` -> ``with c: <before>``, then ``while P: with c:
    ...``, then ``with c: <after>``: the loop's test reads the shared state without the lock."""
    from coursekit._dev.mutate import _blocks, _is_lock_block, _Site

    out = []
    for block in _blocks(tree):
        for with_ in block:
            if not (_is_lock_block(with_) and isinstance(with_, ast.With) and len(with_.items) == 1):
                continue
            held = ast.unparse(with_.items[0].context_expr)
            for loop in with_.body:
                if not (isinstance(loop, ast.While) and not loop.orelse
                        and any(_waits_on(s, held) for s in loop.body)):
                    continue

                def apply(block: Body = block, with_: ast.With = with_, loop: ast.While = loop) -> None:
                    i = next(i for i, s in enumerate(block) if s is with_)
                    k = next(k for k, s in enumerate(with_.body) if s is loop)
                    before, after = with_.body[:k], with_.body[k + 1:]

                    def locked(body: Body) -> ast.With:
                        return ast.copy_location(ast.With(copy.deepcopy(with_.items), body), with_)

                    loop.body = [locked(loop.body)]
                    new: Body = [locked(before)] if before else []
                    new.append(loop)
                    new += [locked(after)] if after else []
                    block[i : i + 1] = new

                out.append(_Site(loop, f"test outside the lock: `while {ast.unparse(loop.test)}:` moved out of "
                                 f"`with {held}:`, only the wait kept under it (a lost wake-up)", apply))
    return out


def _zero_sleep(stmt: ast.stmt) -> bool:
    value = stmt.value if isinstance(stmt, ast.Expr) else None
    value = value.value if isinstance(value, ast.Await) else value
    call = _attr_call(value, "sleep")
    return (call is not None and len(call.args) == 1 and not call.keywords
            and isinstance(call.args[0], ast.Constant) and call.args[0].value == 0
            and type(call.args[0].value) in (int, float))


def drop_yield(tree: ast.Module) -> list[_Site]:
    """``time.sleep(0)`` / ``await asyncio.sleep(0)`` statements, one at a time, removed."""
    from coursekit._dev.mutate import _blocks, _replace_stmt, _Site

    return [_Site(stmt, f"no yield: `{ast.unparse(stmt)}` removed", _replace_stmt(block, stmt, []))
            for block in _blocks(tree) for stmt in block if _zero_sleep(stmt)]
