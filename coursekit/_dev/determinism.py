"""The reference solution behaves the same in every run: otherwise every verdict against it is luck.

The engine promises exact, repeatable runs (virtual clocks, fixed tie policies); a reference solution that
waits on real time, uses unseeded randomness, or uses something the engine's clocks do not cover yet breaks
that promise silently: expectations then depend on which run was cached, and equivalent mutants look like
survivors.  This check runs the reference a few times under each tie policy and compares what was seen.

Some programs are racy on purpose, and their graders allow for it: which worker process takes which task from
a ``multiprocessing.Queue`` is decided by the OS, so *when* a line is printed may change from run to run.  What
matters for grading is that no check can tell two runs of the reference apart: ``judge_determinism`` reports a
difference only when a check passes against one run and fails against the other.  ``exact_repeats`` asks for
the same behaviour, line for line, which the mutant check's "equivalent" verdicts rely on.
"""

from __future__ import annotations

from coursekit._dev.behaviour import behaviour, difference
from coursekit._judge.timeline import Timeline
from coursekit.grading import Grader, _observe, load_grader, schedules_of
from coursekit.registry import Exercise

RUNS = 2


def _differing_runs(exercise: Exercise, grader: Grader, runs: int) -> list[tuple[str, Timeline, Timeline]]:
    """``(schedule, first run, other run)`` for every run that does not behave like the first under its schedule:
    the tie policies, round robin and the first seeded schedule (an explored schedule must repeat exactly too)."""
    out = []
    for schedule in schedules_of(exercise)[:4]:
        timelines = [_observe(exercise, grader, exercise.solution_path, schedule.spec()) for _ in range(runs)]
        out += [(schedule.describe(), timelines[0], tl) for tl in timelines[1:]
                if behaviour(tl) != behaviour(timelines[0])]
    return out


def _problem(exercise: Exercise, tie: str, first: Timeline, other: Timeline, checks: list[str]) -> str:
    told = f", and the check(s) {', '.join(checks)} tell the runs apart" if checks else ""
    return (f"{exercise.id}: the reference solution does not behave the same from run to run "
            f"(under {tie}; {difference(behaviour(first), behaviour(other))}){told}. Verdicts on it would be luck: "
            "look for waits on real time or unseeded randomness in the solution, or a part of the engine's "
            "virtual clock that does not cover what the solution uses.")


def judge_determinism(exercise: Exercise, runs: int = RUNS) -> list[str]:
    """A problem when repeated runs of the reference differ in something a check of its grader sees."""
    grader = load_grader(exercise)
    for tie, first, other in _differing_runs(exercise, grader, runs):
        told = [c.name for c in grader.checks
                if not (c.evaluate(other, first).passed and c.evaluate(first, other).passed)]
        if told:
            return [_problem(exercise, tie, first, other, told)]
    return []


def exact_repeats(exercise: Exercise, runs: int = RUNS) -> list[str]:
    """A problem when repeated runs of the reference differ in anything at all (see the module docstring)."""
    differing = _differing_runs(exercise, load_grader(exercise), runs)
    return [_problem(exercise, *differing[0], [])] if differing else []
