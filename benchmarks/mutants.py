"""Mutant check cost: how long ``course dev check``'s mutant part takes, against grading the solutions once.

For the chosen exercises (default: every exercise in ``course.toml``), this script measures side by side:

* baseline: grading every reference solution once with ``grade_exercise`` (``--jobs`` at a time), the cost a
  student's ``course check`` pays for the same exercises;
* mutants: ``check_mutants_of`` on the same exercises with ``--jobs`` jobs (generation, grading, the
  equivalence comparison for the mutants the grader accepts);

and prints the number of mutants, both wall times, the time per mutant, and the ratio mutants / baseline per
mutant (how much a mutant costs compared with a grading: below 1 because most mutants are rejected on one tie
policy without the full grading).  The load average is printed at start and end; nothing here asserts.

Run from the repository root: ``python benchmarks/mutants.py [--jobs N] [ids...]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coursekit._dev.course_check import select  # noqa: E402
from coursekit._dev.mutants import check_mutants_of  # noqa: E402
from coursekit.grading import ReferenceCache, grade_exercise  # noqa: E402
from coursekit.registry import load_course  # noqa: E402


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not available on this platform
        return "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="exercise ids, folders or prefixes (default: all)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    exercises = select(load_course(ROOT), args.ids)
    print(f"load average at start: {_loadavg()}")

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        list(pool.map(lambda ex: grade_exercise(ex, ex.solution_path, cache=ReferenceCache()), exercises))
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    reports = check_mutants_of(exercises, jobs=args.jobs)
    spent = time.perf_counter() - start
    n = sum(len(r.outcomes) for r in reports)

    for r in reports:
        verdicts: dict[str, int] = {}
        for o in r.outcomes:
            verdicts[o.verdict.value] = verdicts.get(o.verdict.value, 0) + 1
        print(f"  {r.exercise.id:<44} {len(r.outcomes):>3} mutants  {verdicts}")
    per_grading = baseline / max(1, len(exercises))
    per_mutant = spent / max(1, n)
    print(f"baseline: {len(exercises)} solutions graded in {baseline:.1f} s ({per_grading:.2f} s each, "
          f"{args.jobs} jobs)")
    print(f"mutants:  {n} mutants in {spent:.1f} s ({per_mutant:.2f} s each, {args.jobs} jobs); "
          f"ratio per mutant / per grading: {per_mutant / per_grading:.2f}")
    print(f"load average at end: {_loadavg()}")


if __name__ == "__main__":
    main()
