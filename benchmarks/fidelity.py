"""Fidelity: run the suite's programs for real and under the kit, and count those that behave the same.

The programs are ``tests/fidelity/<model>/*.py`` (docs-like examples of every primitive of threads, asyncio and
multiprocessing).  For each one this script runs it for real (``python`` on a pseudo-terminal, each printed line
stamped with the real seconds since ``main()`` began) and under the kit (virtual time), and compares: the same
lines in the same order, each within 0.1 s or 10 % of its real time, and the same ending (see
``tests/fidelity/suite.py``).  It prints, per model, "N of M programs behave the same", then every difference.

``--record`` writes each program's real run as its golden file (``tests/fidelity/<model>/<name>.json``), which
``tests/test_fidelity.py`` compares the kit's run with; run it after adding or changing a program, on a quiet
machine, and look at the diff.  It runs each program ``--repeat`` times (default 3) and keeps the run that
ended first: a busy machine only ever adds delay (starting a ``Pool(3)`` took 0.13 s with the load
at 10 on 2 cores), so the quickest run is the one closest to the program's own timing.  A program
whose real runs print different lines (a race) is reported and not recorded.

``--golden`` compares the kit's runs with the golden files instead of fresh real runs (no real waiting);
``--stability`` compares fresh real runs with the golden files (how much real runs themselves move on this
machine); ``--kit-runs N`` runs each program N times under the kit and names those whose runs differ.

Run from the repository root: ``python benchmarks/fidelity.py [--record | --golden | --stability] [-k TEXT]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # before this script's own folder: tests/fidelity is the package

from fidelity import suite  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--record", action="store_true", help="write the golden files from real runs")
    mode.add_argument("--golden", action="store_true", help="compare the kit with the golden files, not real runs")
    mode.add_argument("--stability", action="store_true", help="compare fresh real runs with the golden files")
    parser.add_argument("-k", dest="select", default="", help="only the programs whose id contains TEXT")
    parser.add_argument("--repeat", type=int, default=3, help="real runs per program when recording (default 3)")
    parser.add_argument("--kit-runs", type=int, default=1,
                        help="runs under the kit per program; more than 1 also reports runs that differ")
    args = parser.parse_args(argv)

    chosen = [p for p in suite.programs() if args.select in suite.program_id(p)]
    if not chosen:
        print(f"no program matches {args.select!r}")
        return 1
    same: dict[str, list[int]] = {m: [0, 0] for m in suite.MODELS}
    report: list[str] = []
    real_total = 0.0
    began = time.monotonic()
    unstable: list[str] = []
    for path in chosen:
        pid = suite.program_id(path)
        if args.record:
            runs = [suite.for_real(path) for _ in range(max(1, args.repeat))]
            real_total += sum(took for _, took in runs)
            if len({(*(text for _, text in run.lines), run.ending) for run, _ in runs}) > 1:
                print(f"NOT RECORDED {pid}: its real runs print different lines (a race)")
                unstable.append(pid)
                continue
            real, took = min(runs, key=lambda r: (r[0].ended_at is None, r[0].ended_at or 0.0, r[1]))
            suite.write_golden(path, real, took)
            print(f"recorded {pid}: {len(real.lines)} lines, {real.ending}, {took:.2f} s real", flush=True)
            continue
        if args.golden:
            real = suite.load_golden(path)
        else:
            real, took = suite.for_real(path)
            real_total += took
        if args.stability:
            other = suite.load_golden(path)
        else:
            kit_runs = [suite.under_kit(path) for _ in range(max(1, args.kit_runs))]
            other = kit_runs[0]
            if any(run != other for run in kit_runs[1:]):
                unstable.append(pid)
        diffs = suite.differences(real, other)
        tally = same[suite.model_of(path)]
        tally[1] += 1
        tally[0] += not diffs
        print(f"{'same' if not diffs else 'DIFFERS'}  {pid}", flush=True)
        report += [f"{pid}:", *(f"    {d}" for d in diffs)] if diffs else []
    if args.record:
        print(f"\n{len(chosen) - len(unstable)} golden files written; {real_total:.1f} s of real runs")
        return 1 if unstable else 0
    against = "their golden files" if args.stability else "the kit"
    print(f"\nreal runs ({'golden' if args.golden else 'fresh'}) against {against}:")
    for model, (n, m) in same.items():
        if m:
            print(f"  {model}: {n} of {m} programs behave the same")
    n_all, m_all = sum(v[0] for v in same.values()), sum(v[1] for v in same.values())
    print(f"  all: {n_all} of {m_all} programs behave the same")
    if report:
        print("\ndifferences:")
        print("\n".join(report))
    if unstable:
        print(f"\nruns under the kit that differ from one another ({args.kit_runs} runs each): {', '.join(unstable)}")
    print(f"\n{time.monotonic() - began:.1f} s in all, {real_total:.1f} s of them real runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
