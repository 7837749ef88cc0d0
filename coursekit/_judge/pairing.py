"""Which line of one run is which line of another: the k-th time a text is printed is paired with its k-th time.

Why a module of its own: the checks (``coursekit.checks.match_lines``) and the detectors of
``coursekit._judge.diagnose`` both compare a line with its twin in the reference run, and must pair them the
same way.  Pure: it reads only the lines, so a grader loaded in the student's process may import it.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coursekit._judge.timeline import Line, Timeline


def match_lines(observed: Timeline, expected: Timeline) -> list[tuple[Line, Line]]:
    """Pair the k-th observed occurrence of a text with its k-th expected occurrence, in observed order."""
    pool: dict[str, list[Line]] = {}
    for line in expected.lines:
        pool.setdefault(line.text, []).append(line)
    seen: Counter[str] = Counter()
    pairs = []
    for line in observed.lines:
        k = seen[line.text]
        seen[line.text] += 1
        if k < len(pool.get(line.text, [])):
            pairs.append((line, pool[line.text][k]))
    return pairs


__all__ = ["match_lines"]
