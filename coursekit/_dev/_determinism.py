"""The reference solution behaves the same in every run: otherwise every verdict against it is luck.

The engine promises exact, repeatable runs (virtual clocks, fixed tie policies); a reference solution that
waits on real time, uses unseeded randomness, or uses something the engine's clocks do not cover yet breaks
that promise silently: expectations then depend on which run was cached, and equivalent mutants look like
survivors.  This check runs the reference a few times under each tie policy and compares what was seen.
"""

from __future__ import annotations

from coursekit._dev._behaviour import behaviour, difference
from coursekit.grading import TIE_POLICIES, _observe, load_grader
from coursekit.registry import Exercise

RUNS = 2


def judge_determinism(exercise: Exercise, runs: int = RUNS) -> list[str]:
    grader = load_grader(exercise)
    for tie in TIE_POLICIES[exercise.model]:
        seen = [behaviour(_observe(exercise, grader, exercise.solution_path, tie)) for _ in range(runs)]
        for other in seen[1:]:
            if other != seen[0]:
                return [f"{exercise.id}: the reference solution does not behave the same from run to run "
                        f"({tie} ties; {difference(seen[0], other)}). Verdicts on it would be luck: look for "
                        "waits on real time or unseeded randomness in the solution, or a part of the engine's "
                        "virtual clock that does not cover what the solution uses."]
    return []
