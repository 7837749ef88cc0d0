"""The fidelity suite's machinery: find its programs, run one for real or under the kit, compare the two runs.

A program is ``tests/fidelity/<model>/<name>.py`` (model: threads, coroutines or processes) with a ``main()``
(or ``async def main()``), written as the docs or a tutorial would write it.  Its golden file,
``<name>.json`` beside it, is one real run: every printed line with the real seconds since ``main()`` was
called, and the ending (how ``main()`` ended, and when).  ``benchmarks/fidelity.py --record`` writes them;
``tests/test_fidelity.py`` runs each program under the kit (virtual time, no real waits) and compares.

Two runs behave the same when they print the same lines in the same order, each line within 0.1 s or 10 % of
its real time (whichever is larger), and end the same way at such a time too.

A real run is ``python -c BOOT prog.py`` on a pseudo-terminal, as a learner runs a program in a terminal: every
process of the tree writes its lines line-buffered, and each line is stamped when it reaches the terminal.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MODELS = ("threads", "coroutines", "processes")
ABS_TOLERANCE_S = 0.1
REL_TOLERANCE = 0.1
REAL_LIMIT_S = 20.0
"""A real run that takes longer is killed (every program here takes under about 3 s)."""

_MARK = "\x1e"  # a record separator: no program prints it
BOOT = f"""\
import asyncio, importlib, inspect, os, sys
path = sys.argv[1]
sys.path.insert(0, os.path.dirname(path))
module = importlib.import_module(os.path.splitext(os.path.basename(path))[0])
print({_MARK!r} + "start", flush=True)
try:
    result = asyncio.run(module.main()) if inspect.iscoroutinefunction(module.main) else module.main()
except BaseException as exc:
    print({_MARK!r} + "raised " + type(exc).__name__, flush=True)
else:
    print({_MARK!r} + "returned " + repr(result), flush=True)
"""


@dataclass(frozen=True)
class Run:
    """One run of a program: its printed lines with their seconds since main() began, and how main() ended."""

    lines: list[tuple[float, str]]
    ending: str  # "returned <repr>", "raised <exception type>", or "stopped: ..." (the kit stopped the run)
    ended_at: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"lines": [[t, text] for t, text in self.lines], "ending": self.ending, "ended_at": self.ended_at}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Run:
        return cls([(float(t), str(text)) for t, text in data["lines"]], str(data["ending"]), data["ended_at"])


def programs() -> list[Path]:
    """Every program of the suite, model by model, by name."""
    return [p for model in MODELS for p in sorted((HERE / model).glob("*.py"))]


def program_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def model_of(path: Path) -> str:
    return path.parent.name


def golden_path(path: Path) -> Path:
    return path.with_suffix(".json")


def load_golden(path: Path) -> Run:
    return Run.from_dict(json.loads(golden_path(path).read_text(encoding="utf-8"))["run"])


def write_golden(path: Path, run: Run, real_s: float) -> None:
    data = {"program": program_id(path), "python": sys.version.split()[0], "real_s": round(real_s, 3),
            "run": run.to_dict()}
    golden_path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


# -- under the kit ---------------------------------------------------------------------------------------------
def under_kit(path: Path, tie: str = "fifo", model: str | None = None) -> Run:
    """The program run as ``course trace`` runs it (the graded engine, virtual time), under its folder's model, and
    drawn as ``course trace`` draws it (every line it printed is in the drawing's list)."""
    from coursekit._cli.trace import choose_run, lines_text, one_run_picture
    from coursekit._engine.events import is_main
    from coursekit._judge import runner
    from coursekit._judge.timeline import build
    from coursekit._view import text

    choice = choose_run(path, model or model_of(path), None, tie)
    tl = build(runner.run(choice.spec))
    pic = one_run_picture(tl)
    drawn = text.to_text(text.lanes_renderable(pic, width=100, unicode=False, lines=False), width=100, color=False)
    listed = "\n".join(lines_text(pic))
    assert "your program" in drawn and all(x.text in listed for x in tl.lines[:40]), (drawn, listed)
    lines = [(round(x.t, 3), x.text) for x in tl.lines]
    main_crash = next((c for c in tl.crashes if is_main(str(c.get("id", "")))), None)
    if tl.problems:
        p = tl.problems[0]
        return Run(lines, f"stopped: {p.get('kind')}", round(float(p.get("t", tl.end_t)), 3))
    if tl.errors:
        return Run(lines, f"stopped: {tl.errors[0].get('kind')}", None)
    if main_crash is not None:
        return Run(lines, f"raised {main_crash.get('exc')}", round(float(main_crash.get("t", tl.end_t)), 3))
    if tl.returned_at is None:
        return Run(lines, "stopped: incomplete", None)
    return Run(lines, f"returned {tl.result}", round(tl.returned_at, 3))


# -- for real ---------------------------------------------------------------------------------------------------
def for_real(path: Path) -> tuple[Run, float]:
    """Run the program for real on a pseudo-terminal; the run, and the real seconds it took in all."""
    master, slave = os.openpty()  # POSIX only, as the kit's supervisor
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONUNBUFFERED", None)
    stamped: list[tuple[float, str]] = []
    with tempfile.TemporaryDirectory(prefix="fidelity-") as cwd:
        began = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", BOOT, str(path.resolve())], stdin=subprocess.DEVNULL,
                                stdout=slave, stderr=subprocess.DEVNULL, cwd=cwd, env=env, start_new_session=True)
        os.close(slave)
        reader = threading.Thread(target=_read_lines, args=(master, stamped), daemon=True)
        reader.start()
        try:
            proc.wait(timeout=REAL_LIMIT_S)
        except subprocess.TimeoutExpired:
            pass
        took = time.monotonic() - began
        try:  # what is left of the program's tree (a hung run, a straggler) ends with it
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        reader.join(timeout=REAL_LIMIT_S)
    os.close(master)
    start = next((t for t, text in stamped if text == _MARK + "start"), None)
    if start is None:
        return Run([], "stopped: no start", None), took
    lines: list[tuple[float, str]] = []
    ending, ended_at = "stopped: killed", None
    for t, text in stamped:
        if text.startswith(_MARK):
            if text[1:].startswith(("returned", "raised")):
                ending, ended_at = text[1:], round(max(0.0, t - start), 3)
            continue
        lines.append((round(max(0.0, t - start), 3), text))
    return Run(lines, ending, ended_at), took


def _read_lines(fd: int, out: list[tuple[float, str]]) -> None:
    pending = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: every writer closed the terminal
            chunk = b""
        now = time.monotonic()
        if not chunk:
            break
        pending += chunk
        *complete, pending = pending.split(b"\n")
        out.extend((now, raw.decode("utf-8", "replace").rstrip("\r")) for raw in complete)
    if pending:
        out.append((time.monotonic(), pending.decode("utf-8", "replace").rstrip("\r")))


# -- the comparison ---------------------------------------------------------------------------------------------
def tolerance(real_t: float) -> float:
    return max(ABS_TOLERANCE_S, REL_TOLERANCE * real_t) + 1e-9


def differences(real: Run, kit: Run) -> list[str]:
    """What tells the kit's run from the real one (empty: they behave the same)."""
    out: list[str] = []
    diverged = False
    for i, (r, k) in enumerate(zip(real.lines, kit.lines, strict=False)):
        if r[1] != k[1]:
            out.append(f"line {i + 1}: real {r[1]!r} at {r[0]:.2f} s, kit {k[1]!r} at {k[0]:.2f} s")
            diverged = True
            break
        if abs(r[0] - k[0]) > tolerance(r[0]):
            out.append(f"line {i + 1} {r[1]!r}: real at {r[0]:.2f} s, kit at {k[0]:.2f} s")
    if len(real.lines) != len(kit.lines) and not diverged:
        longer, who = (real.lines, "real") if len(real.lines) > len(kit.lines) else (kit.lines, "kit")
        extra = longer[min(len(real.lines), len(kit.lines))]
        out.append(f"{len(real.lines)} lines for real, {len(kit.lines)} under the kit; first extra ({who}): "
                   f"{extra[1]!r} at {extra[0]:.2f} s")
    if real.ending != kit.ending:
        out.append(f"ending: real {real.ending!r}, kit {kit.ending!r}")
    elif real.ended_at is not None and (kit.ended_at is None or abs(real.ended_at - kit.ended_at)
                                         > tolerance(real.ended_at)):
        out.append(f"main() ended: real at {real.ended_at:.2f} s, kit at {kit.ended_at} s")
    return out
