"""How the judge's time grows with a hostile trace: 1 MB and 4 MB against 100 kB (ratios; linear is 10 and 40).

A forged trace can be as large as a run may write (``Limits.output_kb``).  This one is shaped to hit the costly
parts of the judge: thousands of threads, each printing, sleeping and started without a target, all listed as
blocked in one deadlock problem, and joined by main.  The judge's side is timed end to end: the trace folder
read (``coursekit/_judge/reading.py``), the timeline built, and the failure picture made
(``coursekit/_judge/picture.py``, once quadratic in its placement of waits: a 1 MB trace cost 80-160 s).

    python benchmarks/hostile_trace.py [--sizes 100,1000,4000]   (kB)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coursekit._judge import reading
from coursekit._judge.picture import summarize
from coursekit._judge.runner import RawRun, RunSpec
from coursekit._judge.timeline import build


def hostile_events(target_bytes: int) -> list[dict[str, object]]:
    """Events of a forged run of about ``target_bytes`` bytes (as JSON lines)."""
    out: list[dict[str, object]] = [{"e": "phase", "t": 0, "id": "t0", "name": "main", "is_async": False}]
    waits: list[dict[str, object]] = []
    size, n = 200, 0
    while size < target_bytes:
        cid = f"t{n + 1}"
        group = [
            {"e": "spawn", "t": n * 1e-3, "id": cid, "parent": "t0", "kind": "thread", "target": "", "name": cid},
            {"e": "line", "t": n * 1e-3, "id": cid, "text": f"Number: {n}", "stream": "out", "phase": "main"},
            {"e": "sleep", "t": n * 1e-3, "id": cid, "d": 1.0},
            {"e": "join", "t": 2.0, "t0": 1.0, "id": "t0", "target": cid, "done": False, "phase": "main"},
        ]
        waits.append({"id": cid, "on": "lock", "code": "lock.acquire()", "where": "x.py:1"})
        size += sum(len(json.dumps(ev)) + 1 for ev in group) + 70
        out += group
        n += 1
    out.append({"e": "problem", "t": 3.0, "id": "t0", "kind": "deadlock", "waits": waits, "where": "x.py:1"})
    return out


def reference() -> RawRun:
    events = [{"e": "phase", "t": 0, "id": "t0", "name": "main", "is_async": False},
              {"e": "line", "t": 1.0, "id": "t0", "text": "Done!", "stream": "out", "phase": "main"},
              {"e": "phase", "t": 1.0, "id": "t0", "name": "return", "alive": [], "waits": []},
              {"e": "exit", "t": 1.0, "id": "t0"}]
    return RawRun(RunSpec("threads", Path("x.py")), {1: events}, 1, {}, "", "")


def judge_seconds(kb: int) -> tuple[float, int]:
    """Seconds the judge takes for a hostile trace of about ``kb`` kB, and the trace's real size."""
    expected = build(reference())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "1.jsonl"
        path.write_text("".join(json.dumps(ev) + "\n" for ev in hostile_events(kb * 1024)), encoding="utf-8")
        t0 = time.perf_counter()
        trace = reading.read_trace(Path(tmp), reading.ReadLimits(file_bytes=8 << 20, file_events=1 << 20,
                                                                 total_events=1 << 21))
        observed = build(RawRun(RunSpec("threads", Path("x.py")), trace.events, 1, {}, "", ""))
        summarize(observed, expected)
        return time.perf_counter() - t0, path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,4000", help="trace sizes in kB, the first one the base")
    sizes = [int(x) for x in parser.parse_args().sizes.split(",")]
    base = None
    for kb in sizes:
        seconds, real = judge_seconds(kb)
        base = base or seconds
        print(f"{real / 1024:8.0f} kB trace: {seconds:7.3f} s  ratio {seconds / base:6.1f}  "
              f"(size ratio {kb / sizes[0]:.0f})")


if __name__ == "__main__":
    main()
