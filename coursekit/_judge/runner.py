"""Judge side: run a student module in a supervised child process and bring back its raw trace."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit._engine.trace import read_trace
from coursekit._judge.sandbox import Sandbox, prepare_box, release_box, sandbox_job
from coursekit.registry import MODELS, Limits

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the coursekit package
SUPERVISOR = Path(__file__).resolve().parent / "supervise.py"  # run by path, with -I -S: it imports nothing of ours


@dataclass(frozen=True)
class RunSpec:
    model: str
    module: Path
    call: str = "main"
    args: tuple[Any, ...] = ()
    tie: str = "fifo"
    limits: Limits = field(default_factory=Limits)
    driver: tuple[Path, str] | None = None  # (grader file, function): call function(module) instead of `call`

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {MODELS}, not {self.model!r}")


@dataclass(frozen=True)
class RawRun:
    spec: RunSpec
    events: dict[int, list[dict[str, Any]]]
    root_pid: int
    status: dict[str, Any]
    stdout: str
    stderr: str


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COURSEKIT_", "COV_CORE"))}
    env.update(
        PYTHONPATH=str(PACKAGE_DIR.parent),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONHASHSEED="0",
        PYTHONIOENCODING="utf-8",
    )
    if os.environ.get("PYTHONUNBUFFERED"):
        env["PYTHONUNBUFFERED"] = os.environ["PYTHONUNBUFFERED"]
    return env


_sandbox: Sandbox | None = None


def use_sandbox(sandbox: Sandbox | None) -> None:
    """Run every later submission of this process isolated by ``sandbox`` (bulk grading); ``None``: as before."""
    global _sandbox
    _sandbox = sandbox


def run(spec: RunSpec) -> RawRun:
    """Run ``spec`` in a fresh interpreter under a supervisor; never raises for anything the program does."""
    work = Path(tempfile.mkdtemp(prefix="coursekit-run-"))
    box = None
    try:
        trace_dir = work / "trace"
        trace_dir.mkdir()
        module = spec.module.resolve()
        driver = [str(spec.driver[0]), spec.driver[1]] if spec.driver else None
        sandbox = work / "cwd"
        sandbox.mkdir()
        if _sandbox is not None:  # copies of just the files this run needs, in directories only its uid can use
            box = prepare_box(_sandbox, work, module, spec.driver[0] if spec.driver else None)
            module, sandbox, trace_dir = box.module, box.cwd, box.trace
            driver = [str(box.driver), spec.driver[1]] if box.driver and spec.driver else None
        harness_spec: dict[str, Any] = {
            "model": spec.model, "module": str(module), "name": module.stem, "call": spec.call,
            "args": list(spec.args), "tie": spec.tie, "trace": str(trace_dir),
            "driver": driver,
            "limit_s": spec.limits.virtual_s, "stall_s": spec.limits.stall_s, "max_events": spec.limits.max_events,
        }
        if box is not None:
            harness_spec["guard"] = box.guard_spec()
        (work / "spec.json").write_text(json.dumps(harness_spec), encoding="utf-8")
        job = {
            "cmd": [sys.executable, "-m", "coursekit._engine.harness", str(work / "spec.json")],
            "cwd": str(sandbox), "env": _child_env(),
            "stdout": str(work / "stdout"), "stderr": str(work / "stderr"), "status": str(work / "status.json"),
            "wall_s": spec.limits.wall_s, "memory_bytes": spec.limits.memory_mb * 1024 * 1024,
            "file_bytes": spec.limits.output_kb * 1024,
        }
        if box is not None and _sandbox is not None:
            job.update(sandbox_job(_sandbox, box, work))
        (work / "job.json").write_text(json.dumps(job), encoding="utf-8")
        os.chmod(work / "job.json", 0o600)
        sup = subprocess.Popen(
            [sys.executable, "-I", "-S", str(SUPERVISOR), str(work / "job.json")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        try:
            _, sup_err = sup.communicate(timeout=spec.limits.wall_s + 30)
        except subprocess.TimeoutExpired:
            os.killpg(sup.pid, signal.SIGKILL)
            _, sup_err = sup.communicate()
        status_path = work / "status.json"
        if status_path.exists():
            status = json.loads(status_path.read_text(encoding="utf-8"))
        else:  # the supervisor itself was killed (by the student's code, or by us)
            status = {"supervisor_lost": True, "detail": sup_err.decode("utf-8", "replace")[-500:]}
            pid_file = work / "status.json.pid"
            if pid_file.exists():
                try:
                    os.killpg(int(pid_file.read_text()), signal.SIGKILL)
                except (OSError, ValueError):
                    pass
        pid_file = work / "status.json.pid"
        root_pid = int(pid_file.read_text()) if pid_file.exists() else -1
        if box is not None:
            status["guard"] = box.read_guard()
        return RawRun(
            spec=spec, events=read_trace(trace_dir), root_pid=root_pid, status=status,
            stdout=_read_text(work / "stdout"), stderr=_read_text(work / "stderr"),
        )
    finally:
        if box is not None:
            release_box(box)
        shutil.rmtree(work, ignore_errors=True)


def _read_text(path: Path, limit: int = 64 * 1024) -> str:
    try:
        with path.open("rb") as f:
            return f.read(limit).decode("utf-8", "replace")
    except OSError:
        return ""
