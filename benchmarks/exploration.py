"""Schedule exploration's cost: schedules per second, and a whole-course grading with exploration on against off.

For every exercise of ``course.toml`` this script grades the reference solution twice, side by side in the
output: once with the schedules ``course.toml`` sets (``limits.schedules``: the tie policies, round robin and
seeded PCT schedules), once with the tie policies only (exploration off: ``schedules`` = the model's tie
count).  It prints per exercise the schedules run, the grading time of each, and their ratio; then the whole
course; then the run rate of explored schedules alone (runs of one explored schedule, back to back).  It also
prints PCT's guaranteed odds for a depth-2 bug with the default number of schedules, from the preemption points
the round-robin run of each reference passed (``coursekit._engine.exploration.odds_over``).

Nothing here asserts: timings depend on the machine, whose load average is printed at start and end.

Run from the repository root: ``python benchmarks/exploration.py [--repeat N] [--only PREFIX]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coursekit._engine.exploration import PCT, ROUND_ROBIN, odds_over  # noqa: E402
from coursekit._judge.exploring import steps_of  # noqa: E402
from coursekit.grading import ReferenceCache, _observe, grade_exercise, load_grader, schedules_of  # noqa: E402
from coursekit.models import MODELS  # noqa: E402
from coursekit.registry import load_course  # noqa: E402


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "n/a"


def _median_grading(exercise, repeat: int) -> tuple[float, int, bool]:
    times, schedules, passed = [], 0, True
    for _ in range(repeat):
        start = time.perf_counter()
        result = grade_exercise(exercise, exercise.solution_path, cache=ReferenceCache())
        times.append(time.perf_counter() - start)
        schedules, passed = result.run_info.get("schedules", 0), passed and result.passed
    return statistics.median(times), schedules, passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=1, help="gradings per exercise and setting (median)")
    parser.add_argument("--only", default="", help="only exercises whose id starts with this")
    parser.add_argument("--runs", type=int, default=5, help="back-to-back runs of one explored schedule")
    args = parser.parse_args()
    course = load_course(ROOT)
    exercises = [e for e in course.exercises if e.id.startswith(args.only)]
    print(f"load average at start: {_loadavg()}  ({os.cpu_count()} cores)")
    print(f"{'exercise':40} {'sched':>5} {'on (s)':>8} {'off (s)':>8} {'on/off':>7}  {'steps':>6} "
          f"{'depth-2 odds':>12}")
    total_on = total_off = 0.0
    for ex in exercises:
        model = MODELS[ex.model]
        off = dataclasses.replace(ex, limits=dataclasses.replace(ex.limits, schedules=len(model.ties)))
        t_on, n_on, ok_on = _median_grading(ex, args.repeat)
        t_off, _, ok_off = _median_grading(off, args.repeat)
        total_on, total_off = total_on + t_on, total_off + t_off
        odds = ""
        steps = ""
        pct = [s for s in schedules_of(ex) if s.kind == PCT]
        rr = next((s for s in schedules_of(ex) if s.kind == ROUND_ROBIN), None)
        if rr is not None:
            n = steps_of(_observe(ex, load_grader(ex), ex.solution_path, rr.spec()))
            threads = 4  # a typical worker count of the course's drivers
            steps = str(n)
            if n and pct:
                odds = f"{odds_over(len(pct), threads=threads, steps=n, depth=2):.2%}"
        flag = "" if ok_on and ok_off else "  (reference did not pass!)"
        print(f"{ex.id:40} {n_on:5d} {t_on:8.2f} {t_off:8.2f} {t_on / t_off:7.2f}  {steps:>6} {odds:>12}{flag}")
    print(f"{'whole course':40} {'':5} {total_on:8.2f} {total_off:8.2f} {total_on / total_off:7.2f}")
    explored = next((e for e in exercises if MODELS[e.model].explores), None)
    if explored is not None:
        grader = load_grader(explored)
        schedule = schedules_of(explored)[2]
        start = time.perf_counter()
        for _ in range(args.runs):
            _observe(explored, grader, explored.solution_path, schedule.spec())
        rate = args.runs / (time.perf_counter() - start)
        print(f"explored schedules per second ({explored.id}, {schedule.describe()}): {rate:.1f}")
    print("depth-2 odds: PCT's guaranteed least chance that the course's PCT schedules find one given depth-2 bug "
          "among that many preemption points with 4 threads; round robin finds atomicity violations whose window "
          "spans one preemption point in one run, whatever the odds say.")
    print(f"load average at end: {_loadavg()}")


if __name__ == "__main__":
    main()
