"""What keeping a run on one CPU saves: each exercise's harness, every schedule, pinned against unpinned.

Where the kit runs one thread of a process at a time (threads, and asyncio's ``to_thread`` workers), a harness
copy keeps itself and its threads on one CPU (``coursekit._engine.harness.pin``), so that a handover between two
threads is a context switch on that CPU rather than a wake-up sent to another one.  This script measures it for
every exercise of a serial model in ``course.toml``:

* the spec of the reference solution's run, every schedule, is taken from one unsandboxed grading (the judge
  writes it; nothing is changed);
* that harness is then started ``--repeat`` times each way, alternating: as the kit runs it, and with ``pin``
  replaced by a function that does nothing (the only difference);
* CPU seconds (user + system, of the harness and all its copies) and wall seconds are taken for each.

Prints, per exercise, the medians of both sides and the ratios pinned / unpinned, and the load average at start
and end (a busy machine changes both sides).  Nothing here asserts: timings depend on the machine.

Run from the repository root: ``python benchmarks/pinning.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coursekit._judge import runner  # noqa: E402
from coursekit.grading import ReferenceCache, grade_exercise  # noqa: E402
from coursekit.models import MODELS  # noqa: E402
from coursekit.registry import load_course  # noqa: E402

START = """import sys
from coursekit._engine import harness
if sys.argv[2] == "off":
    harness.pin = lambda cpu: None
harness.main(["harness", sys.argv[1]])
"""


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def spec_of(exercise: Any, folder: Path) -> dict[str, Any] | None:
    """The harness spec of ``exercise``'s reference run under every schedule (one unsandboxed grading)."""
    seen: list[dict[str, Any]] = []
    original = runner._supervise

    def keep(job: dict[str, Any], work: Path, box: Any) -> Any:
        spec = json.loads((work / "spec.json").read_text(encoding="utf-8"))
        if spec.get("schedules"):
            seen.append(spec)
        return original(job, work, box)

    runner._supervise = keep  # type: ignore[assignment]
    try:
        grade_exercise(exercise, exercise.solution_path, cache=ReferenceCache())
    finally:
        runner._supervise = original  # type: ignore[assignment]
    if not seen:
        return None
    spec = seen[-1]  # (unsandboxed, it names the course's own solution and grader files)
    spec["trace"] = str(folder)
    return spec


def one(spec_path: Path, trace: Path, how: str) -> tuple[float, float]:
    """CPU and wall seconds of one harness run (``how``: ``on`` as the kit runs it, ``off`` unpinned)."""
    shutil.rmtree(trace, ignore_errors=True)
    trace.mkdir()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", START, str(spec_path), how], cwd=ROOT, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    course = load_course(ROOT)
    print(f"load average at start: {_loadavg()}  (cpus: {os.cpu_count()})")
    print(f"{'exercise':42s} {'cpu on':>7s} {'cpu off':>7s} {'ratio':>6s}   "
          f"{'wall on':>7s} {'wall off':>8s} {'ratio':>6s}")
    totals = {"on": [0.0, 0.0], "off": [0.0, 0.0]}
    with tempfile.TemporaryDirectory(prefix="coursekit-pinning-") as tmp:
        folder = Path(tmp)
        for exercise in course.exercises:
            if not MODELS[exercise.model].serial_threads:
                continue
            spec = spec_of(exercise, folder / "trace")
            if spec is None:
                continue
            spec_path = folder / "spec.json"
            spec_path.write_text(json.dumps(spec), encoding="utf-8")
            runs: dict[str, list[tuple[float, float]]] = {"on": [], "off": []}
            for _ in range(args.repeat):
                for how in ("on", "off"):
                    runs[how].append(one(spec_path, folder / "trace", how))
            cpu = {how: statistics.median(r[0] for r in runs[how]) for how in runs}
            wall = {how: statistics.median(r[1] for r in runs[how]) for how in runs}
            for how in runs:
                totals[how][0] += cpu[how]
                totals[how][1] += wall[how]
            print(f"{exercise.id:42s} {cpu['on']:7.2f} {cpu['off']:7.2f} {cpu['on'] / cpu['off']:6.2f}   "
                  f"{wall['on']:7.2f} {wall['off']:8.2f} {wall['on'] / wall['off']:6.2f}")
    on, off = totals["on"], totals["off"]
    if off[0] and off[1]:
        print(f"{'all of them':42s} {on[0]:7.2f} {off[0]:7.2f} {on[0] / off[0]:6.2f}   "
              f"{on[1]:7.2f} {off[1]:8.2f} {on[1] / off[1]:6.2f}")
    print(f"load average at end: {_loadavg()}")


if __name__ == "__main__":
    main()
