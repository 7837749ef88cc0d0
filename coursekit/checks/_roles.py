"""Roles: which part of the program printed each line, main or the worker running a given function.

Why: a program can print the right lines at the right times from the wrong place, ``Done!`` from the last worker
instead of from main once every worker has ended, or a worker's lines from main itself, and the lines alone
cannot tell.  Each printed line has a role: ``main`` (the entry point, or the grader's driver that calls it), or
the worker running a function (a thread's or process's target, a task's coroutine, a pool call's function).  The
``output`` check asks, for every line paired with the reference's, that its role be the reference's: main
against a worker either way, or the worker of one of the reference's functions against another's.  A line
written by the same student function in both runs has the same role, whatever context ran that function
(``await asyncio.wait_for(job())`` runs ``job`` in the caller's task, ``create_task(job())`` in its own).  A worker
running a function the reference does not start (a pool's own thread, a helper of the student's) is not held to
a name, only to being a worker.  Pure: reads timelines only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coursekit._engine.events import is_main
from coursekit._judge.findings import Finding
from coursekit._judge.pairing import match_lines
from coursekit.models import MODELS, THREADS

if TYPE_CHECKING:
    from coursekit._judge.timeline import Line, Timeline


def _is_main(tl: Timeline, cid: str) -> bool:
    return is_main(cid) or tl.ctx(cid).kind == "main"


def role(tl: Timeline, cid: str) -> str:
    """The role of context ``cid`` as a message names it: ``main``, or ``thread print_letters``."""
    return "main" if _is_main(tl, cid) else tl.ctx(cid).label


def _target(tl: Timeline, cid: str) -> str:
    return tl.ctx(cid).target.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Misplaced:
    """One line printed from another role than in the reference."""

    observed: Line
    expected: Line
    sentence: str


def misplaced(observed: Timeline, expected: Timeline) -> list[Misplaced]:
    """Every paired line whose role differs from the reference's, in observed order."""
    ref_targets = {_target(expected, x.ctx) for x in expected.lines if not _is_main(expected, x.ctx)}
    out = []
    for o, e in match_lines(observed, expected):
        if o.fn and o.fn == e.fn:
            continue  # printed by the same function of the program, whichever context ran it (an awaited job)
        o_main, e_main = _is_main(observed, o.ctx), _is_main(expected, e.ctx)
        if o_main == e_main:
            got, want = _target(observed, o.ctx), _target(expected, e.ctx)
            if o_main or got == want or got not in ref_targets:
                continue
        where = "main" if e_main else f"a {role(expected, e.ctx)}"
        out.append(Misplaced(o, e, f"{o.text!r} was printed by {role(observed, o.ctx)}; the reference prints it "
                                   f"from {where}."))
    return out


def advice(observed: Timeline, expected: Timeline, first: Misplaced) -> Finding:
    """What to change for the first misplaced line: print it where the reference does."""
    model = MODELS.get(observed.model, THREADS)
    if _is_main(observed, first.expected.ctx):
        return Finding("role", "", f"Print {first.observed.text!r} in main(), after main has {model.waited_for} "
                       f"every {model.worker_word}: only then is all the work done.")
    return Finding("role", "", f"Let the {model.worker_word} that does the work print its own lines "
                   f"({role(expected, first.expected.ctx)} in the reference); main only starts the workers and "
                   "waits for them.")


__all__ = ["Misplaced", "advice", "misplaced", "role"]
