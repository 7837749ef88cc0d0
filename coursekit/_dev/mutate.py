"""Concurrency mutants: the classic mistakes, made on purpose in a reference solution's syntax tree.

Each operator finds the places in a module where one classic mistake can be made (``sites``) and makes it
there.  A mutant is the reference solution with one mistake in one place; a grader that accepts it would also
accept a student who made that mistake.  Operators only look at the shape of the code (a ``.join()``
statement, an ``await``, a ``with lock:`` block, ``target=f``...), never at an exercise, so they apply to any
exercise; an operator with no site in a module simply makes no mutant.

Generation is deterministic: the sites of an operator are found in a fixed walk of the tree, and mutant ``k``
re-parses the source and changes the ``k``-th site, so the same solution always gives the same mutants.
"""

from __future__ import annotations

import ast
import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from coursekit._dev import mutate_causal as _causal  # their sites import this module lazily
from coursekit._dev import mutate_inputs as _inputs
from coursekit._dev import mutate_races as _races
from coursekit._dev import mutate_roles as _roles

Body = list[ast.stmt]  # a list of statements (a block), as found in a node's body / orelse / finalbody


@dataclass(frozen=True)
class Mutant:
    op: str  # the operator's name, e.g. "drop-join"
    line: int  # where in the reference solution (1-based)
    code: str  # the reference's code at that place (one line, as written)
    what: str  # the mistake, in words
    source: str  # the whole mutated module

    @property
    def key(self) -> str:
        return f"{self.op}@{self.line}"


@dataclass
class _Site:
    node: ast.AST
    what: str
    apply: Callable[[], None]


@dataclass(frozen=True)
class Operator:
    name: str
    doc: str  # the classic mistake this operator makes
    sites: Callable[[ast.Module], list[_Site]]
    input_dependent: bool = False  # wrong only on some inputs: "equivalent" then means the driver never tries them


# --- reading the tree --------------------------------------------------------------------------------------


def _blocks(tree: ast.AST) -> Iterator[Body]:
    """Every statement list of the tree, outermost first (a fixed order)."""
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block


def _called(node: ast.AST | None) -> str:
    """The name of what a call calls: ``t.join()`` -> ``join``, ``print(...)`` -> ``print``."""
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute):
            return node.func.attr
        if isinstance(node.func, ast.Name):
            return node.func.id
    return ""


def _call_of(stmt: ast.stmt) -> ast.Call | None:
    """The call a statement consists of: ``t.join()`` or ``await q.join()``."""
    if isinstance(stmt, ast.Expr):
        value = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
        if isinstance(value, ast.Call):
            return value
    return None


def _receiver(call: ast.Call) -> ast.expr | None:
    return call.func.value if isinstance(call.func, ast.Attribute) else None


def _src(node: ast.AST) -> str:
    return ast.unparse(node)


def _replace_stmt(block: Body, stmt: ast.stmt, new: list[ast.stmt]) -> Callable[[], None]:
    def apply() -> None:
        i = next(i for i, s in enumerate(block) if s is stmt)
        block[i : i + 1] = new or [ast.copy_location(ast.Pass(), stmt)]

    return apply


def _set(obj: object, attr: str, value: object) -> Callable[[], None]:
    return lambda: setattr(obj, attr, value)


def _method_stmts(tree: ast.Module, names: set[str]) -> Iterator[tuple[Body, ast.stmt, ast.Call]]:
    for block in _blocks(tree):
        for stmt in block:
            call = _call_of(stmt)
            if (call is not None and isinstance(call.func, ast.Attribute) and call.func.attr in names
                    and not isinstance(_receiver(call), ast.Constant)):  # ", ".join(parts) is not a join
                yield block, stmt, call


# --- the operators -----------------------------------------------------------------------------------------


def _drop_call(names: set[str], verb: str) -> Callable[[ast.Module], list[_Site]]:
    def sites(tree: ast.Module) -> list[_Site]:
        return [_Site(stmt, f"{verb} `{_src(stmt)}`", _replace_stmt(block, stmt, []))
                for block, stmt, _ in _method_stmts(tree, names)]

    return sites


def _join_timeout(tree: ast.Module) -> list[_Site]:
    out = []
    for _block, stmt, call in _method_stmts(tree, {"join"}):
        if not call.args and not call.keywords and isinstance(stmt.value, ast.Call):  # type: ignore[attr-defined]
            out.append(_Site(stmt, f"give up waiting: `{_src(call)}` -> join(0.01)",
                             _set(call, "args", [ast.Constant(0.01)])))
    return out


def _start_to_run(tree: ast.Module) -> list[_Site]:
    return [_Site(stmt, f"`{_src(call)}` -> run(): the work runs in the caller, not in a new worker",
                  _set(call.func, "attr", "run"))
            for _, stmt, call in _method_stmts(tree, {"start"}) if not call.args and not call.keywords]


WAIT_RIGHT_AFTER = {"create_task": "await", "ensure_future": "await", "submit": "result", "apply_async": "wait"}
"""How to wait for what a call starts: ``await task``, ``future.result()``, ``async_result.wait()``."""


def _one_after_another(tree: ast.Module) -> list[_Site]:
    """Per block: wait for each worker right after starting it: ``t.start(); t.join()``,
    ``t = create_task(c); await t`` (``await tg.create_task(c)``), ``f = ex.submit(g); f.result()``,
    ``r = pool.apply_async(g); r.wait()``."""
    out = []
    for block in _blocks(tree):
        inserts: list[tuple[ast.stmt, ast.stmt]] = []
        replace: list[tuple[ast.stmt, ast.stmt]] = []
        for stmt in block:
            call = _call_of(stmt)
            if (call is not None and _called(call) == "start" and (receiver := _receiver(call)) is not None
                    and not call.args):
                join = ast.Expr(ast.Call(ast.Attribute(receiver, "join", ast.Load()), [], []))
                inserts.append((stmt, join))
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                name = ast.Name(stmt.targets[0].id, ast.Load())
                wait = WAIT_RIGHT_AFTER.get(_called(stmt.value))
                if wait == "await":
                    inserts.append((stmt, ast.Expr(ast.Await(name))))
                elif wait is not None:
                    inserts.append((stmt, ast.Expr(ast.Call(ast.Attribute(name, wait, ast.Load()), [], []))))
            elif call is not None and stmt.value is call and WAIT_RIGHT_AFTER.get(_called(call)):  # type: ignore[attr-defined]
                wait = WAIT_RIGHT_AFTER[_called(call)]  # tg.create_task(c) / ex.submit(f) as a statement
                replace.append((stmt, ast.Expr(ast.Await(call) if wait == "await"
                                               else ast.Call(ast.Attribute(call, wait, ast.Load()), [], []))))
        if inserts or replace:
            def apply(block: Body = block, inserts: list[tuple[ast.stmt, ast.stmt]] = inserts,
                      replace: list[tuple[ast.stmt, ast.stmt]] = replace) -> None:
                for stmt, new in inserts:
                    i = next(i for i, s in enumerate(block) if s is stmt)
                    block.insert(i + 1, ast.copy_location(new, stmt))
                for stmt, new in replace:
                    i = next(i for i, s in enumerate(block) if s is stmt)
                    block[i] = ast.copy_location(new, stmt)

            first = min([s for s, _ in inserts + replace], key=lambda s: s.lineno)
            out.append(_Site(first, "launch the workers one after another (wait for each right after starting it)",
                             apply))
    return out


def _is_sleep(stmt: ast.stmt) -> bool:
    call = _call_of(stmt)
    return call is not None and _called(call) == "sleep"


def _is_print(stmt: ast.stmt) -> bool:
    call = _call_of(stmt)
    return call is not None and (_called(call) == "print" or (_called(call) == "write" and "stdout" in _src(call)))


def _print_before_sleep(tree: ast.Module) -> list[_Site]:
    out = []
    for block in _blocks(tree):
        for a, b in itertools.pairwise(block):
            if _is_sleep(a) and _is_print(b):
                def apply(block: Body = block, a: ast.stmt = a, b: ast.stmt = b) -> None:
                    i = next(i for i, s in enumerate(block) if s is a)
                    block[i], block[i + 1] = b, a

                out.append(_Site(b, f"print before the sleep: `{_src(b)}` moved above `{_src(a)}`", apply))
    return out


def _is_lock_block(stmt: ast.stmt) -> bool:
    """``with lock:`` / ``async with sem:`` (a name or attribute, no ``as``) or ``with value.get_lock():``.

    ``with open(...) as f`` or ``with ThreadPoolExecutor() as ex`` are not locks and are left alone.
    """
    return isinstance(stmt, (ast.With, ast.AsyncWith)) and all(
        i.optional_vars is None and (isinstance(i.context_expr, (ast.Name, ast.Attribute))
                                     or (_called(i.context_expr) == "get_lock" and not i.context_expr.args))  # type: ignore[attr-defined]
        for i in stmt.items)


def _held(stmt: ast.With | ast.AsyncWith) -> str:
    return ", ".join(_src(i.context_expr) for i in stmt.items)


def _drop_lock(tree: ast.Module) -> list[_Site]:
    out = []
    for block in _blocks(tree):
        for stmt in block:
            if _is_lock_block(stmt):
                assert isinstance(stmt, (ast.With, ast.AsyncWith))
                out.append(_Site(stmt, f"drop the lock: `with {_held(stmt)}:` -> its body, unprotected",
                                 _replace_stmt(block, stmt, stmt.body)))
    return out


def _narrow_lock(tree: ast.Module) -> list[_Site]:
    """A misplaced lock: only the first statement of a ``with lock:`` body stays inside (read locked, write not)."""
    out = []
    for block in _blocks(tree):
        for stmt in block:
            if _is_lock_block(stmt) and len(stmt.body) > 1:  # type: ignore[attr-defined]
                assert isinstance(stmt, (ast.With, ast.AsyncWith))

                def apply(block: Body = block, stmt: ast.With | ast.AsyncWith = stmt) -> None:
                    rest = stmt.body[1:]
                    del stmt.body[1:]
                    i = next(i for i, s in enumerate(block) if s is stmt)
                    block[i + 1 : i + 1] = rest

                out.append(_Site(stmt, f"a misplaced lock: only `{_src(stmt.body[0]).splitlines()[0]}` stays inside "
                                 f"`with {_held(stmt)}:`, the rest runs unprotected", apply))
    return out


def _drop_timeout(tree: ast.Module) -> list[_Site]:
    """No deadline: ``wait_for(c, t)`` -> ``c``; ``with asyncio.timeout(t):`` -> its body; ``timeout=`` removed."""
    parents = _Parents(tree)
    out = []
    for node in ast.walk(tree):
        if _called(node) == "wait_for" and node.args:  # type: ignore[attr-defined]
            out.append(_Site(node, f"no deadline: `{_src(node)}` -> `{_src(node.args[0])}`",  # type: ignore[attr-defined]
                             parents.replacer(node, node.args[0])))  # type: ignore[attr-defined]
        elif isinstance(node, ast.Call) and _called(node) != "wait_for":
            for kw in node.keywords:
                if kw.arg == "timeout":
                    out.append(_Site(node, f"no deadline: `timeout=` removed from `{_src(node)}`",
                                     functools.partial(node.keywords.remove, kw)))
            if _called(node) == "join" and len(node.args) == 1 and not isinstance(_receiver(node), ast.Constant):
                out.append(_Site(node, f"no deadline: `{_src(node)}` -> join()", _set(node, "args", [])))
        elif isinstance(node, (ast.With, ast.AsyncWith)) and any(
                _called(i.context_expr) in ("timeout", "timeout_at") for i in node.items):
            parent = parents.parent[id(node)]
            block = getattr(parent[0], parent[1])
            out.append(_Site(node, f"no deadline: `with {_held(node)}:` -> its body",
                             _replace_stmt(block, node, node.body)))
    return out


ON_LOOP = "_coursekit_on_loop"


def _no_to_thread(tree: ast.Module) -> list[_Site]:
    """``asyncio.to_thread(f, *args)`` / ``loop.run_in_executor(None, f, *args)`` -> a coroutine that calls
    ``f(*args)`` right on the event loop: the blocking call freezes every other task while it runs."""
    parents = _Parents(tree)
    out = []
    for node in ast.walk(tree):
        name = _called(node)
        if not (name == "to_thread" and node.args) and not (  # type: ignore[attr-defined]
                name == "run_in_executor" and len(node.args) >= 2):  # type: ignore[attr-defined]
            continue
        assert isinstance(node, ast.Call)
        args = node.args if name == "to_thread" else node.args[1:]
        new = ast.Call(ast.Name(ON_LOOP, ast.Load()), list(args), node.keywords)
        replace = parents.replacer(node, new)

        def apply(replace: Callable[[], None] = replace, tree: ast.Module = tree) -> None:
            replace()
            helper = ast.parse(f"async def {ON_LOOP}(function, *args, **kwargs):\n"
                               "    return function(*args, **kwargs)\n").body[0]
            imports = [i for i, s in enumerate(tree.body) if isinstance(s, (ast.Import, ast.ImportFrom))]
            tree.body.insert(imports[-1] + 1 if imports else 0, helper)

        call = f"{_src(args[0])}({', '.join(_src(a) for a in args[1:])})"
        out.append(_Site(node, f"block the event loop: `{_src(node)}` -> {call} called on the loop", apply))
    return out


def _is_sentinel(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and node.value is None) or (
        isinstance(node, (ast.Name, ast.Attribute))
        and (node.id if isinstance(node, ast.Name) else node.attr).isupper())


def _drop_sentinel(tree: ast.Module) -> list[_Site]:
    """``q.put(None)`` / ``q.put(STOP)`` removed: a worker waiting for its stop signal waits for ever."""
    return [_Site(stmt, f"no stop signal: `{_src(stmt)}` removed", _replace_stmt(block, stmt, []))
            for block, stmt, call in _method_stmts(tree, {"put", "put_nowait"})
            if len(call.args) == 1 and _is_sentinel(call.args[0])]


def _drop_acquire_release(tree: ast.Module) -> list[_Site]:
    """One mutant per lock: every ``lock.acquire()`` and ``lock.release()`` statement of it removed."""
    by_lock: dict[str, list[tuple[Body, ast.stmt]]] = {}
    for block, stmt, call in _method_stmts(tree, {"acquire", "release"}):
        by_lock.setdefault(_src(_receiver(call)), []).append((block, stmt))  # type: ignore[arg-type]
    out = []
    for lock, places in by_lock.items():
        def apply(places: list[tuple[Body, ast.stmt]] = places) -> None:
            for block, stmt in places:
                _replace_stmt(block, stmt, [])()

        out.append(_Site(places[0][1], f"drop the lock: every `{lock}.acquire()` / `{lock}.release()` removed", apply))
    return out


def _target_called(tree: ast.Module) -> list[_Site]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "target" and isinstance(kw.value, (ast.Name, ast.Attribute)):
                    out.append(_Site(kw.value, f"`target={_src(kw.value)}` -> `target={_src(kw.value)}()`: "
                                     "the function runs at once, in the caller",
                                     _set(kw, "value", ast.Call(kw.value, [], []))))
    return out


class _Parents(ast.NodeVisitor):
    def __init__(self, tree: ast.AST) -> None:
        self.parent: dict[int, tuple[ast.AST, str, int | None]] = {}
        for node in ast.walk(tree):
            for name, value in ast.iter_fields(node):
                if isinstance(value, list):
                    for i, item in enumerate(value):
                        if isinstance(item, ast.AST):
                            self.parent[id(item)] = (node, name, i)
                elif isinstance(value, ast.AST):
                    self.parent[id(value)] = (node, name, None)

    def replacer(self, old: ast.AST, new: ast.AST) -> Callable[[], None]:
        node, name, i = self.parent[id(old)]

        def apply() -> None:
            if i is None:
                setattr(node, name, new)
            else:
                getattr(node, name)[i] = new

        return apply


def _drop_await(tree: ast.Module) -> list[_Site]:
    parents = _Parents(tree)
    return [_Site(node, f"drop the await: `{_src(node)}` -> `{_src(node.value)}`",
                  parents.replacer(node, node.value))
            for node in ast.walk(tree) if isinstance(node, ast.Await)]


def _unwrap_create_task(tree: ast.Module) -> list[_Site]:
    parents = _Parents(tree)
    return [_Site(node, f"no task: `{_src(node)}` -> `{_src(node.args[0])}` (the coroutine runs only when awaited)",
                  parents.replacer(node, node.args[0]))
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and _called(node) in ("create_task", "ensure_future") and len(node.args) == 1]


def _gather_one_by_one(tree: ast.Module) -> list[_Site]:
    """``await gather(a, b)`` -> ``[await a, await b]``; ``await gather(*xs)`` -> ``[await x for x in xs]``."""
    parents = _Parents(tree)
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Await) and _called(node.value) == "gather" and not node.value.keywords):  # type: ignore[attr-defined]
            continue
        args = node.value.args  # type: ignore[attr-defined]
        if len(args) == 1 and isinstance(args[0], ast.Starred):
            var = ast.Name("_coursekit_aw", ast.Store())
            new: ast.expr = ast.ListComp(ast.Await(ast.Name("_coursekit_aw", ast.Load())),
                                         [ast.comprehension(var, args[0].value, [], 0)])
        elif args and not any(isinstance(a, ast.Starred) for a in args):
            new = ast.List([ast.Await(a) for a in args], ast.Load())
        else:
            continue
        out.append(_Site(node, f"await one by one: `{_src(node)}` -> `{_src(new)}`", parents.replacer(node, new)))
    return out


def _map_in_caller(tree: ast.Module) -> list[_Site]:
    """``pool.map(f, xs)`` / ``executor.map(f, xs)`` -> ``list(map(f, xs))``: the work runs in the caller."""
    parents = _Parents(tree)
    out = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "map"
                and len(node.args) == 2 and not node.keywords and not isinstance(node.func.value, ast.Constant)):
            new = ast.Call(ast.Name("list", ast.Load()), [ast.Call(ast.Name("map", ast.Load()), node.args, [])], [])
            out.append(_Site(node, f"no pool: `{_src(node)}` -> `{_src(new)}` (the work runs in the caller)",
                             parents.replacer(node, new)))
    return out


POOLS = {"ThreadPoolExecutor": "max_workers", "ProcessPoolExecutor": "max_workers", "Pool": "processes"}


def _pool_of_one(tree: ast.Module) -> list[_Site]:
    out = []
    for node in ast.walk(tree):
        kw_name = POOLS.get(_called(node))
        if kw_name is None:
            continue
        assert isinstance(node, ast.Call)
        kw = next((k for k in node.keywords if k.arg == kw_name), None)
        if kw is not None:
            apply = _set(kw, "value", ast.Constant(1))
        elif node.args:
            apply = functools.partial(node.args.__setitem__, 0, ast.Constant(1))
        else:
            apply = functools.partial(node.keywords.append, ast.keyword(kw_name, ast.Constant(1)))
        out.append(_Site(node, f"a pool of one: `{_src(node)}` with {kw_name}=1 (the work runs one at a time)", apply))
    return out


def _semaphore_plus_one(tree: ast.Module) -> list[_Site]:
    out = []
    for node in ast.walk(tree):
        if (_called(node) in ("Semaphore", "BoundedSemaphore") and node.args  # type: ignore[attr-defined]
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, int)):  # type: ignore[attr-defined]
            n = node.args[0].value  # type: ignore[attr-defined]
            out.append(_Site(node, f"one too many at once: `{_src(node)}` -> {n + 1}",
                             functools.partial(node.args.__setitem__, 0, ast.Constant(n + 1))))  # type: ignore[attr-defined]
    return out


def _blocking_sleep(tree: ast.Module) -> list[_Site]:
    """``await asyncio.sleep(d)`` -> ``time.sleep(d)``: the event loop is frozen for ``d``."""
    parents = _Parents(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Await) and _called(node.value) == "sleep":
            call = node.value
            assert isinstance(call, ast.Call)
            new = ast.Call(ast.Attribute(ast.Call(ast.Name("__import__", ast.Load()), [ast.Constant("time")], []),
                                         "sleep", ast.Load()), call.args, call.keywords)
            out.append(_Site(node, f"block the event loop: `{_src(node)}` -> `time.sleep(...)`",
                             parents.replacer(node, new)))
    return out


def _notify_all_to_notify(tree: ast.Module) -> list[_Site]:
    return [_Site(stmt, f"wake only one waiter: `{_src(call)}` -> notify()", _set(call.func, "attr", "notify"))
            for _, stmt, call in _method_stmts(tree, {"notify_all"})]


OPERATORS: tuple[Operator, ...] = (
    Operator("drop-join", "forget to wait for a worker (a `.join()` statement removed)",
             _drop_call({"join"}, "drop")),
    Operator("join-timeout", "give up waiting too early (`.join()` -> `.join(0.01)`)", _join_timeout),
    Operator("start-to-run", "call `run()` instead of `start()` (no new worker)", _start_to_run),
    Operator("one-after-another", "launch the workers one after another (wait right after each start)",
             _one_after_another),
    Operator("target-called", "`target=f()` instead of `target=f` (the work runs in the caller)", _target_called),
    Operator("print-before-sleep", "print before the sleep it should follow", _print_before_sleep),
    Operator("drop-lock", "no lock: `with lock:` -> its body", _drop_lock),
    Operator("narrow-lock", "a misplaced lock: only the first statement of `with lock:` stays inside", _narrow_lock),
    Operator("drop-acquire-release", "no lock: `acquire()` / `release()` removed", _drop_acquire_release),
    Operator("drop-notify", "forget to wake the waiters (`notify()` / `notify_all()` removed)",
             _drop_call({"notify", "notify_all"}, "drop")),
    Operator("notify-one", "wake one waiter where all must wake (`notify_all()` -> `notify()`)", _notify_all_to_notify,
             input_dependent=True),
    Operator("drop-task-done", "forget `task_done()` (a queue's `join()` never returns)",
             _drop_call({"task_done"}, "drop")),
    Operator("drop-sentinel", "forget the stop signal (`q.put(None)` / `q.put(STOP)` removed)", _drop_sentinel),
    Operator("drop-timeout", "no deadline (`wait_for(c, t)` -> `c`, `async with timeout(t):` -> body, `timeout=` "
             "removed)", _drop_timeout),
    Operator("drop-await", "forget an `await`", _drop_await),
    Operator("no-task", "no task: `create_task(coro)` -> `coro`", _unwrap_create_task),
    Operator("gather-one-by-one", "await one by one instead of `gather`", _gather_one_by_one),
    Operator("blocking-sleep", "`time.sleep` inside a coroutine", _blocking_sleep),
    Operator("no-to-thread", "a blocking call on the event loop (`to_thread(f, x)` -> `f(x)` on the loop)",
             _no_to_thread),
    Operator("pool-of-one", "a pool with one worker (no concurrency)", _pool_of_one),
    Operator("map-in-caller", "no pool: `pool.map(f, xs)` -> `list(map(f, xs))`", _map_in_caller),
    Operator("semaphore-plus-one", "a semaphore that lets one too many in", _semaphore_plus_one),
    Operator("sleep-for-join", "sleep as long as the work instead of waiting for it (`t.join()` / `await t` -> "
             "a sleep)", _causal.sleep_for_join),
    Operator("cancel-no-await", "cancel a task and go on without awaiting it", _causal.cancel_without_await),
    Operator("worker-prints-last", "the last line of main printed by the worker that ends last instead",
             _roles.last_line_by_worker),
    Operator("if-for-while-wait", "`if` instead of `while` around a condition's `wait()`", _inputs.if_for_while,
             input_dependent=True),
    Operator("notify-some", f"`notify_all()` -> `notify({_inputs.SOME_WAITERS})` (wake only as many as the demo "
             "has)", _inputs.notify_some,
             input_dependent=True),
    Operator("constant-size", "a size parameter (`range(n)`, `max_workers=n`, `Semaphore(n)`...) replaced by the "
             "demo's value", _inputs.constant_size, input_dependent=True),
    Operator("empty-then-get", "test the queue before taking from it (`if q.empty(): break` before `q.get()`, or "
             "`while not q.empty():`), no sentinels", _races.empty_then_get),
    Operator("check-outside-lock", "a condition's test outside its lock (`while not P: with c: c.wait()`): a lost "
             "wake-up", _races.check_outside_lock),
    Operator("drop-yield", "the yield between a read and its write removed (`time.sleep(0)` / `await "
             "asyncio.sleep(0)`)", _races.drop_yield),
)
OPERATOR_NAMES = frozenset(op.name for op in OPERATORS)
INPUT_DEPENDENT = frozenset(op.name for op in OPERATORS if op.input_dependent)
"""Operators whose mistake shows only on some inputs (more waiters, another size): when such a mutant behaves
like the reference, the report says the driver never tries those inputs, not that the mistake is harmless."""


def mutants(source: str, *, operators: tuple[Operator, ...] = OPERATORS) -> list[Mutant]:
    """Every mutant of ``source``, one mistake each, in operator order then source order; no duplicates."""
    base = ast.parse(source)
    lines = source.splitlines()
    original = ast.unparse(base)
    seen = {original}
    out = []
    for op in operators:
        for k in range(len(op.sites(base))):
            tree = ast.parse(source)
            site = op.sites(tree)[k]
            line = getattr(site.node, "lineno", 0)
            site.apply()
            ast.fix_missing_locations(tree)
            text = ast.unparse(tree)
            if text in seen:
                continue
            seen.add(text)
            compile(text, f"<mutant {op.name}@{line}>", "exec")  # an operator bug, never the instructor's
            code = lines[line - 1].strip() if 0 < line <= len(lines) else ""
            out.append(Mutant(op.name, line, code, site.what, text + "\n"))
    return out


def tripwire(source: str, line: int) -> str | None:
    """``source`` with ``raise RuntimeError`` just before the statement at ``line``: running it shows whether the
    grader reaches that line at all (None if no statement starts there)."""
    tree = ast.parse(source)
    found = None
    for block in _blocks(tree):
        for stmt in block:
            if stmt.lineno == line:
                found = (block, stmt)  # the last one found is the innermost: blocks come outermost first
    if found is None:
        return None
    block, stmt = found
    raise_ = ast.parse(f"raise RuntimeError('coursekit tripwire: line {line} reached')").body[0]
    block.insert(block.index(stmt), ast.copy_location(raise_, stmt))
    ast.fix_missing_locations(tree)
    return ast.unparse(tree) + "\n"
