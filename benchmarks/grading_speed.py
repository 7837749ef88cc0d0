"""Grading speed: how long the kit takes to grade a reference solution, against running it for real.

The exercises are sleep-driven programs (``time.sleep``, ``asyncio.sleep``): run as plain programs they take
several real seconds each, almost all of it spent asleep.  The kit runs them on virtual time, so grading
should cost only the real CPU work plus the harness overhead.  This script measures, for every exercise in
``course.toml``:

* grading: ``grade_exercise(exercise, exercise.solution_path, cache=ReferenceCache())`` -- a fresh cache each
  time, so the reference run is included and the figure is the cold cost a student pays on a first check;
  repeated ``--repeat`` times, the median is reported;
* real time: ``python <solution>`` as a plain subprocess, once per exercise, all of them in parallel (they
  mostly sleep, so running them side by side barely changes their wall time);

and prints the ratio grading / real-time run.  The target is that grading takes at most a tenth of the
real-time run.  The load average is printed at start and end, since a busy machine inflates both figures.
Nothing here asserts: the script only prints, because timings depend on the machine.

Run from the repository root: ``python benchmarks/grading_speed.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coursekit.grading import ReferenceCache, grade_exercise, load_grader  # noqa: E402
from coursekit.registry import load_course  # noqa: E402

TARGET_RATIO = 0.1


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not available on this platform
        return "n/a"


# Run a grader's driver on the reference solution as a plain program (real threads, real sleeps).
_DRIVE = """
import importlib.util, sys
def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
grader_file, solution_file, name, driver = sys.argv[1:5]
getattr(load("grader_under_test", grader_file), driver)(load(name, solution_file))
"""


def real_run(path: Path, exercise=None) -> tuple[float, int]:
    """Run ``path`` as a plain program; return its wall time and exit code.

    When the exercise's grader drives the solution (``Grader(driver=...)``), what is graded is the driver's
    workload, not the solution's own short demo: the real-time run then runs that driver, so that the ratio
    compares the same work.
    """
    cmd = [sys.executable, str(path)]
    grader = load_grader(exercise) if exercise is not None else None
    if grader is not None and grader.driver is not None and grader.path is not None:
        cmd = [sys.executable, "-c", _DRIVE, str(grader.path), str(path), path.stem, grader.driver.__name__]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, proc.returncode


def grading_time(exercise, repeat: int) -> tuple[float, str]:
    """Median wall time of grading the reference solution; also a short summary of the last verdict."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = grade_exercise(exercise, exercise.solution_path, cache=ReferenceCache())
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times), f"{result.score:g}/{result.max_score:g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="gradings per exercise; the median is reported (default: 3)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    course = load_course(ROOT)
    exercises = list(course.exercises)
    print(f"load average at start: {_loadavg()}  (cpus: {os.cpu_count()})")
    print(f"{len(exercises)} exercise(s); grading repeated {args.repeat}x (median), real-time runs once each, "
          f"in parallel")

    with ThreadPoolExecutor(max_workers=max(1, len(exercises))) as pool:
        real_futures = [pool.submit(real_run, ex.solution_path, ex) for ex in exercises]
        # Grade one exercise at a time, in this thread, while the real runs sleep in the background.
        graded = [grading_time(ex, args.repeat) for ex in exercises]
        reals = [f.result() for f in real_futures]

    width = max([len("exercise")] + [len(ex.id) for ex in exercises])
    print()
    print(f"{'exercise':<{width}}  {'grading s':>10}  {'real s':>8}  {'ratio':>6}  {'score':>7}  real exit")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 8}  {'-' * 6}  {'-' * 7}  ---------")
    for ex, (g, score), (r, rc) in zip(exercises, graded, reals, strict=True):
        ratio = g / r if r > 0 else float("inf")
        print(f"{ex.id:<{width}}  {g:>10.3f}  {r:>8.3f}  {ratio:>6.2f}  {score:>7}  {rc}")
    total_g = sum(g for g, _ in graded)
    total_r = sum(r for r, _ in reals)
    total_ratio = total_g / total_r if total_r > 0 else float("inf")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 8}  {'-' * 6}")
    print(f"{'total':<{width}}  {total_g:>10.3f}  {total_r:>8.3f}  {total_ratio:>6.2f}")
    print()
    holds = total_ratio <= TARGET_RATIO
    print(f"total ratio grading/real = {total_ratio:.3f}; target 'grading takes at most a tenth of the "
          f"real-time run' (<= {TARGET_RATIO:g}): {'HOLDS' if holds else 'DOES NOT HOLD'}")
    if any(rc != 0 for _, rc in reals):
        print("note: some real-time runs exited with a non-zero code (see 'real exit')")
    print(f"load average at end: {_loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
