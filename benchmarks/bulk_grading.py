"""Bulk grading speed: ``course grade`` on a synthetic class, against ``pytest exercises/`` once per student.

A class of ``--students`` (default 100) is made over every exercise ``course.toml`` lists: for each student and
exercise, deterministically, the reference solution, a correct or a wrong variant from ``tests/catalogue/``,
the untouched stub, or nothing.  Every file gets a comment naming its student, so no two submissions are
byte-identical and the cache cannot share a grading between students (a real class rarely has twins).

* bulk: ``python -m coursekit grade CLASS --out RESULTS --force`` (all cores, sandboxed), timed once;
* baseline: what an instructor would do without it, ``pytest exercises/`` in a copy of the course holding one
  student's files, one student after another.  Running it for the whole class would take long, so it is timed
  on ``--sample`` students (default 5, spread over the class) and extrapolated; the output says so.

Prints students per minute for both and the ratio (baseline time / bulk time).  The load average is printed at
start and end: the machine is shared, and a busy machine slows both sides.  Nothing here asserts.

``--against REV`` grades the same class with this tree and with a checkout of git revision ``REV`` instead,
alternating (``--rounds`` times each), and prints both and their ratio: what a change did to bulk grading.

Run from the repository root: ``python benchmarks/bulk_grading.py [--students N] [--sample K] [--jobs J]
[--against REV [--rounds R]]``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coursekit.registry import Exercise, load_course  # noqa: E402


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "n/a"


def variants(ex: Exercise) -> dict[str, list[Path]]:
    cat = ROOT / "tests" / "catalogue" / ex.id
    return {"solution": [ex.solution_path], "correct": sorted((cat / "correct").glob("*.py")),
            "wrong": sorted((cat / "wrong").glob("*.py")), "stub": [ex.exercise_path]}


def make_class(dest: Path, exercises: list[Exercise], students: int, seed: int) -> dict[str, dict[str, Path]]:
    """Write the synthetic class; return what each student handed in (exercise id -> source file)."""
    rng = random.Random(seed)
    kinds = ["solution"] * 4 + ["correct"] * 2 + ["wrong"] * 3 + ["stub", "missing"]
    handed: dict[str, dict[str, Path]] = {}
    for n in range(students):
        student = f"student{n:03d}"
        handed[student] = {}
        for ex in exercises:
            kind = rng.choice(kinds)
            options = variants(ex).get(kind) or variants(ex)["solution"]
            if kind == "missing":
                continue
            source = rng.choice(options)
            target = dest / student / f"{ex.id}.py"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes() + f"\n# handed in by {student}\n".encode())
            handed[student][ex.id] = target
    return handed


def bulk(klass: Path, out: Path, jobs: int | None, tree: Path = ROOT, quiet: bool = False) -> float:
    """Seconds ``course grade`` takes on ``klass``, run from the kit in ``tree`` (this one by default)."""
    cmd = [sys.executable, "-m", "coursekit", "grade", str(klass), "--out", str(out), "--force"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, check=False)
    elapsed = time.perf_counter() - start
    if not quiet:
        print("  " + done.stdout.strip().replace("\n", "\n  "))
    if done.returncode != 0:
        print(f"  course grade exited with {done.returncode}")
    return elapsed


def against(rev: str, klass: Path, work: Path, jobs: int | None, rounds: int, students: int) -> None:
    """The same class graded by this tree and by a checkout of ``rev``, alternating ``rounds`` times."""
    other, git = work / "against", shutil.which("git") or "git"
    subprocess.run([git, "worktree", "add", "--detach", "-q", str(other), rev], cwd=ROOT, check=True)
    try:
        times: dict[str, list[float]] = {"this tree": [], rev: []}
        for _ in range(rounds):
            times["this tree"].append(bulk(klass, work / "results-a", jobs, quiet=True))
            times[rev].append(bulk(klass, work / "results-b", jobs, other, quiet=True))
        for name, values in times.items():
            best = min(values)
            print(f"  {name}: {', '.join(f'{v:.1f}' for v in values)} s; best {best:.1f} s, "
                  f"{students / best * 60:.1f} students/min")
        print(f"ratio: this tree takes {min(times['this tree']) / min(times[rev]):.2f}x the time of {rev}")
    finally:
        subprocess.run([git, "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)


def baseline_one(files: dict[str, Path], exercises: list[Exercise], work: Path) -> float:
    """``pytest exercises/`` in a fresh copy of the course holding this student's files (stubs elsewhere)."""
    copy = work / "course"
    if copy.exists():
        shutil.rmtree(copy)
    copy.mkdir()
    for name in ("course.toml", "conftest.py", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    for folder in ("solutions", "graders", "exercises"):
        shutil.copytree(ROOT / folder, copy / folder)
    for ex in exercises:
        if ex.id in files:
            shutil.copy(files[ex.id], copy / "exercises" / f"{ex.id}.py")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "exercises/", "-q", "-p", "no:cacheprovider"], cwd=copy,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--sample", type=int, default=5, help="students timed for the baseline (extrapolated)")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for course grade (default: its own)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--against", metavar="REV", help="also grade the class with the kit at git revision REV, "
                        "alternating with this tree (--rounds times each), instead of the pytest baseline")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    course = load_course(ROOT)
    exercises = list(course.exercises)
    print(f"load average at start: {_loadavg()}  (cpus: {os.cpu_count()})")
    print(f"synthetic class: {args.students} students x {len(exercises)} exercise(s) (every file unique)")
    with tempfile.TemporaryDirectory(prefix="coursekit-bench-") as tmp:
        klass = Path(tmp) / "class"
        handed = make_class(klass, exercises, args.students, args.seed)
        files = sum(len(v) for v in handed.values())
        print(f"{files} files handed in")

        if args.against:
            print(f"bulk: course grade, this tree against {args.against}, side by side")
            against(args.against, klass, Path(tmp), args.jobs, args.rounds, args.students)
            print(f"load average at end: {_loadavg()}")
            return 0
        print("bulk: course grade")
        bulk_s = bulk(klass, Path(tmp) / "results", args.jobs)
        print(f"  {bulk_s:.1f} s for {args.students} students: {args.students / bulk_s * 60:.1f} students/min")

        sample = sorted(handed)[:: max(1, args.students // max(1, args.sample))][: args.sample]
        print(f"baseline: pytest exercises/ per student, one after another, timed on {len(sample)} of "
              f"{args.students} students and extrapolated")
        times = [baseline_one(handed[s], exercises, Path(tmp)) for s in sample]
        per_student = sum(times) / len(times)
        base_s = per_student * args.students
        print(f"  {per_student:.1f} s per student (sample: {', '.join(f'{t:.1f}' for t in times)}); "
              f"{args.students} students: ~{base_s:.0f} s (extrapolated), {60 / per_student:.1f} students/min")
        print(f"ratio: bulk grading is {base_s / bulk_s:.1f}x faster than pytest per student "
              f"({bulk_s:.0f} s against ~{base_s:.0f} s extrapolated)")
    print(f"load average at end: {_loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
