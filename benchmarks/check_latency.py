"""How long one ``course check ID`` takes, from the command line to its last line, for every exercise.

Issue 12 asks that one ``course check`` of an exercise stay under half a second: the wait a student has after each
save.  This measures exactly that, as a student would see it: ``python -m coursekit check ID`` as a new program,
timed from start to exit, on the reference solution (a correct submission runs every schedule; a failing one stops
at its first failing schedule, so it costs less).  The solutions are copied into ``exercises/`` of a copy of the
course, and the copy's reference results are made first (one check of everything), as a student's would be after
their first check.  Each exercise is checked ``--repeat`` times (default 7), one check at a time; the median and
the worst are printed, and how many exercises have a median under ``--target`` seconds (default 0.5).

``--against REV`` times a checkout of git revision ``REV`` on the same copy, alternating with this tree exercise by
exercise, and prints both medians and their ratio: what a change did to the wait.

The load average is printed at start and end: a busy machine slows every figure.  Nothing here asserts.

Run from the repository root: ``python benchmarks/check_latency.py [--repeat N] [--exercise ID ...]
[--against REV]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coursekit.registry import load_course  # noqa: E402

COPIED = ("course.toml", "conftest.py", "pyproject.toml")


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "n/a"


def course_copy(dest: Path) -> Path:
    """A copy of the course whose ``exercises/`` hold the reference solutions."""
    for name in COPIED:
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, dest / name)
    for folder in ("graders", "solutions"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "solutions", dest / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def check_once(course: Path, exercise: str, tree: Path) -> float:
    """Seconds one ``course check exercise`` takes in ``course``, run from the kit in ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "coursekit", "check", exercise], cwd=course, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        print(f"  {exercise}: course check exited with {done.returncode}: {done.stderr.strip()[-300:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--exercise", action="append", default=[], help="only this exercise (repeatable)")
    parser.add_argument("--target", type=float, default=0.5)
    parser.add_argument("--against", metavar="REV", help="also time a checkout of git revision REV, alternating")
    args = parser.parse_args()
    course = load_course(ROOT)
    ids = args.exercise or [ex.id for ex in course.exercises]
    print(f"load average at start: {_loadavg()} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="coursekit-latency-") as tmp:
        work = Path(tmp)
        copy = course_copy(Path(tempfile.mkdtemp(dir=work)))
        trees = {"this tree": ROOT}
        git = shutil.which("git") or "git"
        if args.against:
            other = work / "against"
            subprocess.run([git, "worktree", "add", "--detach", "-q", str(other), args.against], cwd=ROOT,
                           check=True)
            trees[args.against] = other
        try:
            for tree in trees.values():  # the reference results, as after a student's first check
                subprocess.run([sys.executable, "-m", "coursekit", "check"], cwd=copy, check=False,
                               env={**os.environ, "PYTHONPATH": str(tree)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            medians: dict[str, list[float]] = {name: [] for name in trees}
            for exercise in ids:
                times: dict[str, list[float]] = {name: [] for name in trees}
                for _ in range(args.repeat):
                    for name, tree in trees.items():
                        times[name].append(check_once(copy, exercise, tree))
                cells = []
                for name, values in times.items():
                    medians[name].append(statistics.median(values))
                    cells.append(f"{name}: median {statistics.median(values):.3f} s, worst {max(values):.3f} s")
                if args.against:
                    cells.append(f"ratio {medians['this tree'][-1] / medians[args.against][-1]:.2f}")
                print(f"  {exercise:38s} " + "; ".join(cells))
            for name, values in medians.items():
                under = sum(v < args.target for v in values)
                print(f"{name}: {under} of {len(values)} exercises under {args.target} s (median); slowest "
                      f"{max(values):.3f} s, mean of medians {statistics.mean(values):.3f} s")
        finally:
            if args.against:
                subprocess.run([git, "worktree", "remove", "--force", str(trees[args.against])], cwd=ROOT,
                               check=False)
    print(f"load average at end: {_loadavg()}")


if __name__ == "__main__":
    main()
