"""What a run did, as far as any check can see it: the basis for "these two runs are the same".

Two uses: a mutant whose behaviour equals the reference's is equivalent (no grader could reject it), and a
reference solution whose behaviour changes from one run to the next makes every verdict on it a matter of luck.
"""

from __future__ import annotations

from typing import Any

from coursekit._judge.timeline import Timeline, is_main

FIELDS = ("printed lines (time, who, text)", "error output", "return value", "completed", "return time",
          "workers alive at return", "crashes", "errors", "problems", "kills", "unstarted workers")


def behaviour(tl: Timeline) -> tuple[Any, ...]:
    """The observable run, with the names of contexts left out (``Thread-3`` and ``Thread-4`` are alike)."""

    def who(cid: str) -> str:
        return "main" if is_main(cid) else tl.ctx(cid).label

    return (
        tuple((round(x.t, 6), who(x.ctx), x.text) for x in tl.lines),
        tuple(x.text for x in tl.err_lines),
        tl.result, tl.completed, tl.returned_at, tuple(sorted(who(a) for a in tl.alive_at_return)),
        len(tl.crashes), len(tl.errors), tuple(sorted(p.get("kind", "") for p in tl.problems)),
        len(tl.kills), len(tl.unstarted),
    )


def difference(a: tuple[Any, ...], b: tuple[Any, ...]) -> str:
    """The first way two behaviours differ, in words (empty if they do not)."""
    for name, x, y in zip(FIELDS, a, b, strict=True):
        if x == y:
            continue
        if name.startswith("printed"):
            for i, (p, q) in enumerate(zip(x, y, strict=False)):  # runs may print different numbers of lines
                if p != q:
                    return f"printed line {i + 1}: {p[2]!r} at {p[0]:g} s from {p[1]} in one run, " \
                           f"{q[2]!r} at {q[0]:g} s from {q[1]} in another"
            return f"{len(x)} lines printed in one run, {len(y)} in another"
        return f"{name}: {x!r} in one run, {y!r} in another"
    return ""
