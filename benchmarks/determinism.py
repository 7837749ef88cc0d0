"""Determinism under load: grade the same files many times with every core busy and count changed verdicts.

The kit runs submissions on virtual time, so a verdict must depend on the program only -- never on how busy
the machine is, on which thread the OS happened to schedule first, or on how long a real step took.  This
script checks that claim the hard way:

* it starts ``os.cpu_count()`` busy-loop processes (``while True: pass``) so every core is saturated
  (``--no-load`` skips them, for a baseline);
* it grades every reference solution and every file under ``tests/catalogue/<exercise id>/{correct,wrong}/``
  ``--runs`` times (default 50), two files at a time (``ThreadPoolExecutor(max_workers=2)``); each run uses a
  fresh ``ReferenceCache``, so the reference solution is observed again under load every run too;
* for each file and run it records the verdict, the tuple of ``(check name, status)`` of the
  ``ExerciseResult``, and compares it with that file's verdict in the first run.

* it also compares every reference's logical timeline (each printed line with its virtual time, read from the
  run's ``ReferenceCache``) with the first run's: the reference is what every "first difference" is measured
  against, so its times must not move either.

It prints the number of files and runs, the number of verdicts that differ from the first run (target: 0),
and every file whose verdict changed, with what changed; then the same for the references' timelines.
Progress is printed every 10 runs.  Nothing is asserted: the script only prints.  The busy-loop processes are
killed at the end, also on Ctrl-C or SIGTERM.

Note that one run takes as long as its slowest file: submissions that never hand over (busy loops) are
only stopped by the kit's real-time limits (``stall_s`` / ``wall_s`` in course.toml).

``--sandboxed`` grades as ``course grade`` does (the sandbox, the observer outside the run and its checks).

Run from the repository root:
``python benchmarks/determinism.py [--runs N] [--no-load] [--exercise PREFIX] [--sandboxed]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coursekit.grading import ReferenceCache, grade_exercise  # noqa: E402
from coursekit.registry import Exercise, load_course  # noqa: E402

Verdict = tuple[tuple[str, str], ...]
Lines = tuple[tuple[float, str], ...]


def reference_lines(cache: ReferenceCache) -> dict[str, Lines]:
    """Each exercise's reference timeline in ``cache`` as (virtual time, printed line) pairs."""
    return {ex_id: tuple((round(x.t, 6), x.text) for x in tl.lines)
            for (ex_id, _digest), tl in dict(cache._data).items()}


def spin() -> None:
    """Busy loop for a load process.  Ctrl-C is left to the parent, which kills this process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked child inherits the parent's handler
    while True:
        pass


def start_load(n: int) -> list[multiprocessing.Process]:
    procs = []
    for _ in range(n):
        p = multiprocessing.Process(target=spin, daemon=True, name="busy-loop")
        p.start()
        procs.append(p)
    return procs


def stop_load(procs: list[multiprocessing.Process]) -> None:
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=2)
        if p.is_alive():
            p.kill()
            p.join(timeout=2)


def collect_files(course) -> list[tuple[Exercise, Path]]:
    files: list[tuple[Exercise, Path]] = []
    for ex in course.exercises:
        files.append((ex, ex.solution_path))
        for kind in ("correct", "wrong"):
            files += [(ex, p) for p in sorted((ROOT / "tests" / "catalogue" / ex.id / kind).glob("*.py"))]
    return files


def grade(ex: Exercise, path: Path, cache: ReferenceCache) -> Verdict:
    try:
        result = grade_exercise(ex, path, cache=cache)
    except Exception as exc:  # noqa: BLE001 - a grading error is a verdict too: it must not come and go with the load
        return (("<grading error>", f"{type(exc).__name__}: {exc}"),)
    return tuple((c.name, c.status.value) for c in result.checks)


def describe(first: Verdict, other: Verdict) -> str:
    a, b = dict(first), dict(other)
    diffs = [f"{name}: {a.get(name, '-')} -> {b.get(name, '-')}" for name in dict.fromkeys([*a, *b])
             if a.get(name) != b.get(name)]
    return ", ".join(diffs) or "order of checks differs"


def _raise_interrupt(signum, frame):  # SIGTERM: clean up like Ctrl-C
    raise KeyboardInterrupt


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50, metavar="N", help="gradings of every file (default: 50)")
    parser.add_argument("--no-load", action="store_true", help="do not start the busy-loop processes")
    parser.add_argument("--exercise", action="append", default=[], metavar="PREFIX",
                        help="only exercises whose id starts with PREFIX, e.g. 'processes/' (repeatable)")
    parser.add_argument("--sandboxed", action="store_true",
                        help="grade as `course grade` does: sandboxed, observed from outside the run")
    args = parser.parse_args(argv)
    if args.sandboxed:
        from coursekit._judge import runner
        from coursekit._judge.sandbox import Sandbox

        runner.use_sandbox(Sandbox(hide=(ROOT,)))
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    files = [(ex, path) for ex, path in collect_files(load_course(ROOT))
             if not args.exercise or ex.id.startswith(tuple(args.exercise))]
    if not files:
        parser.error(f"no exercise id starts with {' or '.join(args.exercise)}")
    n_load = 0 if args.no_load else (os.cpu_count() or 1)
    print(f"{len(files)} files x {args.runs} runs, 2 at a time; "
          f"{n_load} busy-loop process(es) on {os.cpu_count()} cpu(s); load average {_loadavg()}", flush=True)

    signal.signal(signal.SIGTERM, _raise_interrupt)
    first: list[Verdict | None] = [None] * len(files)
    changes: dict[int, list[tuple[int, Verdict]]] = {}  # file index -> [(run, verdict), ...]
    first_lines: dict[str, Lines] = {}  # exercise id -> its reference's lines in the first run
    moved: dict[str, list[tuple[int, Lines]]] = {}  # exercise id -> [(run, lines), ...] that differ from it
    load: list[multiprocessing.Process] = []
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="grade")
    started = time.perf_counter()
    try:
        load = start_load(n_load)
        # Everything is queued at once (run by run, in order), so the two workers never idle while one of
        # them waits on a slow file; the results are still read back run by run.
        runs: list[list[Future[Verdict]]] = []
        caches: list[ReferenceCache] = []
        for _ in range(args.runs):
            cache = ReferenceCache()
            caches.append(cache)
            runs.append([pool.submit(grade, ex, path, cache) for ex, path in files])
        for run, futures in enumerate(runs, start=1):
            for ex_id, lines in reference_lines(caches[run - 1]).items():
                first_lines.setdefault(ex_id, lines)
                if lines != first_lines[ex_id]:
                    moved.setdefault(ex_id, []).append((run, lines))
            for i, fut in enumerate(futures):
                verdict = fut.result()
                if first[i] is None:
                    first[i] = verdict
                elif verdict != first[i]:
                    changes.setdefault(i, []).append((run, verdict))
            if run % 10 == 0 or run == args.runs:
                n_changed = sum(len(v) for v in changes.values())
                print(f"run {run}/{args.runs}: {n_changed} changed verdict(s) so far, "
                      f"{time.perf_counter() - started:.0f} s elapsed, load average {_loadavg()}", flush=True)
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the busy-loop processes", file=sys.stderr, flush=True)
        pool.shutdown(wait=False, cancel_futures=True)
        stop_load(load)
        return 130
    finally:
        stop_load(load)
        pool.shutdown(wait=True, cancel_futures=True)

    elapsed = time.perf_counter() - started
    n_changed = sum(len(v) for v in changes.values())
    print()
    print(f"files graded: {len(files)}")
    print(f"runs: {args.runs} ({len(files) * args.runs} gradings in {elapsed:.0f} s, "
          f"{'no load' if not n_load else f'{n_load} busy-loop processes'})")
    print(f"verdicts changed against the first run: {n_changed} (target: 0)")
    for i, file_changes in changes.items():
        _ex, path = files[i]
        print(f"  {path.relative_to(ROOT)}: changed in {len(file_changes)} run(s)")
        for run, verdict in file_changes[:5]:
            assert first[i] is not None
            print(f"    run {run}: {describe(first[i], verdict)}")
        if len(file_changes) > 5:
            print(f"    ... and {len(file_changes) - 5} more")
    print(f"reference timelines changed against the first run: {sum(len(v) for v in moved.values())} (target: 0)")
    for ex_id, runs_moved in moved.items():
        ends = sorted({max((t for t, _ in lines), default=0.0) for _, lines in runs_moved}
                      | {max((t for t, _ in first_lines[ex_id]), default=0.0)})
        print(f"  {ex_id}: changed in {len(runs_moved)} run(s); last line at {', '.join(f'{t:g} s' for t in ends)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
