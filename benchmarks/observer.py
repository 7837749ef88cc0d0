"""What observing runs from outside costs: sandboxed grading with the observer on against off, side by side.

The observer (``coursekit/_judge/observe.py``) traces every sandboxed run with ptrace, and a seccomp filter stops
every write to stdout and stderr for it, so each printed line costs a round trip to another process.  This
script measures, alternating the two settings so that a change of machine load hits both alike:

* every exercise's reference solution graded as bulk grading does (``grade_exercise`` with a fresh reference
  cache: the reference's run and the file's run, every schedule), with ``Sandbox(observe=True)`` and ``False``;
* one print-heavy run (4 threads printing 500 lines each), the worst case per line.

Prints the seconds of each side, the ratio observed / unobserved, and the load average at start and end.  Nothing
here asserts: timings depend on the machine.  Needs what bulk grading needs (Linux; root for the strongest level).

Run from the repository root: ``python benchmarks/observer.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coursekit._judge import runner  # noqa: E402
from coursekit._judge.sandbox import Sandbox  # noqa: E402
from coursekit.grading import ReferenceCache, grade_exercise  # noqa: E402
from coursekit.registry import load_course  # noqa: E402

CHATTY = '''
import threading


def worker(n):
    for i in range(500):
        print(f"worker {n} line {i}")


def main():
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
'''


def _sandbox(observe: bool) -> Sandbox:
    return Sandbox(hide=(ROOT,), observe=observe)  # as ``course grade`` (refused where it would run as root)


def _timed(observe: bool, work) -> float:
    runner.use_sandbox(_sandbox(observe))
    try:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start
    finally:
        runner.use_sandbox(None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    course = load_course(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        chatty = Path(tmp) / "chatty.py"
        chatty.write_text(CHATTY, encoding="utf-8")
        cases = [(ex.id, lambda ex=ex: grade_exercise(ex, ex.solution_path, cache=ReferenceCache()))
                 for ex in course.exercises]
        cases.append(("4 threads x 500 lines (one run)",
                      lambda: runner.run(runner.RunSpec("threads", chatty))))
        totals = {True: 0.0, False: 0.0}
        print(f"{'':42} {'observed':>9} {'not':>9} {'ratio':>6}")
        for name, work in cases:
            times: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(args.repeat):
                for observe in (True, False):
                    times[observe].append(_timed(observe, work))
            on, off = statistics.median(times[True]), statistics.median(times[False])
            if not name.startswith("4 threads"):
                totals[True] += on
                totals[False] += off
            print(f"{name:42} {on:8.2f}s {off:8.2f}s {on / off:6.2f}")
        print(f"{'every reference, graded':42} {totals[True]:8.2f}s {totals[False]:8.2f}s "
              f"{totals[True] / totals[False]:6.2f}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
