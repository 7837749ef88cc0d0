"""Mutants of right lines, wrong worker: the last line of ``main`` printed by the worker that finishes last.

Why their own module: the mutant keeps every line and (when the chosen worker is the one that ends last) every
virtual time; only which role printed the line changes, so only a check that attributes lines to roles (main,
or the worker running a given function) can kill it.  Registered in ``coursekit._dev.mutate.OPERATORS``.
"""

from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING

from coursekit._dev.mutate_causal import _sleep_total

if TYPE_CHECKING:
    from coursekit._dev.mutate import _Site

Def = ast.FunctionDef | ast.AsyncFunctionDef
LAUNCHERS = ("create_task", "ensure_future")  # launch a coroutine function's call as a task
LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def _launched(fn: Def, defs: dict[str, Def]) -> list[str]:
    """The module functions ``fn`` runs as workers, in source order: ``Thread(target=f)``,
    ``Process(target=f)``, ``create_task(f(...))``; a launch inside a loop or comprehension counts twice (it
    starts several workers, so no one of them is "the last")."""
    found: list[str] = []

    def walk(node: ast.AST, looped: bool) -> None:
        if isinstance(node, ast.Call):
            names = [k.value.id for k in node.keywords if k.arg == "target" and isinstance(k.value, ast.Name)]
            func = node.func
            if (isinstance(func, (ast.Attribute, ast.Name)) and (func.attr if isinstance(func, ast.Attribute)
                                                                  else func.id) in LAUNCHERS
                    and node.args and isinstance(node.args[0], ast.Call) and isinstance(node.args[0].func, ast.Name)):
                names.append(node.args[0].func.id)
            found.extend(n for n in names if n in defs for _ in range(2 if looped else 1))
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                walk(child, looped or isinstance(node, LOOPS))

    for stmt in fn.body:
        walk(stmt, False)
    return found


def _global_only(node: ast.AST, module_names: set[str]) -> bool:
    """Whether every name ``node`` reads is a builtin or a module-level name (so it means the same anywhere)."""
    return all(n.id in module_names or hasattr(builtins, n.id) for n in ast.walk(node) if isinstance(n, ast.Name))


def last_line_by_worker(tree: ast.Module) -> list[_Site]:
    """A function that starts workers and ends with a ``print``: that print moved to the end of the worker
    that sleeps longest (the one that ends last), so the line comes at its time but from the wrong role."""
    from coursekit._dev.mutate import _is_print, _Site  # here: mutate registers this module

    defs = {s.name: s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    module_names = {t.id for s in tree.body if isinstance(s, ast.Assign) for t in s.targets
                    if isinstance(t, ast.Name)} | set(defs) | {
        (a.asname or a.name).split(".")[0] for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))
        for a in s.names}
    out = []
    for fn in defs.values():
        last = fn.body[-1]
        workers = _launched(fn, defs)
        once = [w for w in dict.fromkeys(workers) if workers.count(w) == 1 and w != fn.name]
        if not once or not _is_print(last) or not _global_only(last, module_names):
            continue
        worker = defs[max(reversed(once), key=lambda w: _sleep_total(defs[w]))]  # ties: the last launched

        def apply(fn: Def = fn, worker: Def = worker, last: ast.stmt = last) -> None:
            fn.body.remove(last)
            if not fn.body:
                fn.body.append(ast.copy_location(ast.Pass(), last))
            at = len(worker.body) - (1 if isinstance(worker.body[-1], ast.Return) else 0)
            worker.body.insert(at, last)

        out.append(_Site(last, f"`{ast.unparse(last)}` printed at the end of {worker.name}() instead of by "
                         f"{fn.name}()", apply))
    return out
