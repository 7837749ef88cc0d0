"""Judge side: run a student module in a supervised child process and bring back its raw trace."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit._judge import corroborate, platform, reading, supervise, warm
from coursekit._judge.environment import PACKAGE_DIR, unsandboxed
from coursekit._judge.sandbox import (
    IsolationRefused,
    Sandbox,
    prepare_box,
    refusal_message,
    release_box,
    sandbox_job,
)
from coursekit.models import MODELS as MODEL_FACTS
from coursekit.registry import MODELS, Limits

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
    work: tuple[str, ...] = ()  # the functions whose calls are recorded (coursekit._engine.work)
    schedules: tuple[str, ...] = ()
    """Several schedules (``Schedule.spec``) run from one import, each in a forked copy of the harness
    (``Harness.call_each``); their runs come back as ``RawRun.forks``, in this order.  Empty: one run, ``tie``."""

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
    forks: tuple[RawRun | None, ...] = ()
    """With ``spec.schedules``: the run of each schedule (None: not run, see ``Harness.call_each``)."""


def _observation(work: Path, status: dict[str, Any], limits: reading.ReadLimits) -> corroborate.Observation | None:
    """What the observer saw of a sandboxed run (``observe.py``), and what it could see, in the run's record
    (``status["sandbox"]["observed"]``).  A record the supervisor promised and that is missing is the run's
    doing where the run shares the grader's uid, else the machine's: not gradable."""
    observation = corroborate.read(work / "status.json.observed", limits.max_string)
    sandbox = status.get("sandbox")
    if observation is None:
        if status.get("observed") == "ptrace" and not status.get("supervisor_lost"):
            if isinstance(sandbox, dict) and not sandbox.get("unprivileged_user"):
                status["guard"] = [*(status.get("guard") or []), {
                    "kind": "observer", "detail": "removed the grader's record of what it saw from outside the run",
                    "where": ""}]
            else:
                status.setdefault("infrastructure", "the observer of the run left no record")
        return None
    tried_to_kill = any(isinstance(r, dict) and r.get("kind") == "kill" for r in status.get("guard") or [])
    if observation.available and not observation.ended and not status.get("timed_out") \
            and not status.get("supervisor_lost") and not tried_to_kill:  # killed from outside: no facts
        status.setdefault("infrastructure", "the observer of the run was killed before the run ended")
    if isinstance(sandbox, dict):
        sandbox["observed"] = (
            "threads, processes and every write to stdout and stderr, seen from outside the run (ptrace)"
            if observation.available and observation.writes_seen
            else f"threads and processes only, seen from outside the run (ptrace); {observation.why}"
            if observation.available else f"nothing seen from outside the run: {observation.why or 'no observer'}")
    return observation


def _unseen(observation: corroborate.Observation, events: dict[int, list[dict[str, Any]]],
            spec: RunSpec) -> list[dict[str, Any]]:
    """Guard records (tampering: the run scores 0) for what the trace claims and the observer did not see."""
    found = corroborate.disagreements(observation, events, reading.ReadLimits().max_string,
                                      serial=MODEL_FACTS[spec.model].serial_threads,
                                      file_bytes=spec.limits.output_kb * 1024)
    return [{"kind": "outside", "detail": what + " (the grader watches every thread and every write from outside "
             "your program)", "where": ""} for what in found]


def _forks(raw: RawRun, trace_dir: Path,
           observation: corroborate.Observation | None = None) -> tuple[RawRun | None, ...]:
    """The run of each schedule of ``raw.spec.schedules``, read from ``s<N>/`` of the trace folder (read as
    hostile input, as the rest: a real folder, never a link); None for a schedule that was not run.  Each is
    checked against ``observation`` as the first run is."""
    out: list[RawRun | None] = []
    limits = reading.ReadLimits.for_run(raw.spec.limits.output_kb, raw.spec.limits.max_events)
    for index, schedule in enumerate(raw.spec.schedules):
        folder = trace_dir / f"s{index}"
        try:
            real_folder = stat.S_ISDIR(os.lstat(folder).st_mode)
        except OSError:
            real_folder = False
        trace = reading.read_trace(folder, limits) if real_folder else None
        if trace is None or not trace.events:
            out.append(None)
            continue
        status = dict(raw.status)
        if trace.refusals:
            status["guard"] = [*(status.get("guard") or []), *reading.refusal_records(trace.refusals)]
        if observation is not None:
            status["guard"] = [*(status.get("guard") or []),
                               *_unseen(observation, trace.events, raw.spec)]
        spec = dataclasses.replace(raw.spec, tie=schedule, schedules=())
        out.append(RawRun(spec=spec, events=trace.events, root_pid=min(trace.events), status=status,
                          stdout="", stderr=raw.stderr))
    return tuple(out)


def prestart() -> None:
    """Start the warm interpreter of this process's unsandboxed runs now, in the background (``warm``), so that
    its start overlaps what the caller does before its first run (a ``course check`` loading the course)."""
    if _sandbox is None:
        warm.prestart(sys.executable, unsandboxed())


_sandbox: Sandbox | None = None
_never_root_checked: set[tuple[tuple[str, ...], int]] = set()


def use_sandbox(sandbox: Sandbox | None) -> None:
    """Run every later submission of this process isolated by ``sandbox`` (bulk grading); ``None``: as before.

    Raises ``IsolationRefused`` when grading as root and no isolation level here can run student code as
    another user (unless ``sandbox.unsafe``): found by one trial run of an empty program, once per process."""
    global _sandbox
    if sandbox is not None and not sandbox.unsafe and os.geteuid() == 0:
        key = (sandbox.levels, sandbox.max_processes)
        if key not in _never_root_checked:
            _check_never_root(sandbox)
            _never_root_checked.add(key)
    _sandbox = sandbox


def _check_never_root(sandbox: Sandbox) -> None:
    """Run an empty program as bulk grading would; refuse if the supervisor found no level but root's."""
    folder = Path(tempfile.mkdtemp(prefix="coursekit-probe-"))
    try:
        probe = folder / "probe.py"
        probe.write_text("def main():\n    pass\n", encoding="utf-8")
        raw = _run(RunSpec("threads", probe, limits=Limits(wall_s=20.0)), sandbox)
    finally:
        reading.remove_tree(folder)
    isolation = raw.status.get("sandbox") or {}
    if not isolation.get("unprivileged_user"):  # as root, only a level that changed uid is safe
        detail = str(raw.status.get("detail") or "").strip().splitlines()
        tried = next((line for line in reversed(detail) if "could not start the harness" in line), "")
        tried = (tried.split("could not start the harness:", 1)[-1].strip() if tried
                 else str(isolation.get("level", "")))
        raise IsolationRefused(refusal_message(tried, os.path.realpath(sys.executable)))


class InfrastructureError(Exception):
    """A sandboxed run failed for a reason of the grading machine, not of the program (the harness could not
    start, the supervisor was lost, the disk is full): no verdict may rest on it; the file is to be graded again."""


def infrastructure_failure(status: dict[str, Any]) -> str:
    """Why the run is not gradable, from facts the supervisor or the judge observed outside the student's
    process ("" when it is gradable).  A supervisor lost while the guard recorded an attempt to signal it is the
    program's doing, not the machine's: that run is judged (as tampering)."""
    if status.get("infrastructure"):
        return str(status["infrastructure"])
    if status.get("supervisor_lost"):
        if any(isinstance(r, dict) and r.get("kind") == "kill" for r in status.get("guard") or []):
            return ""
        return "the supervisor of the run ended without a report"
    return ""


def run(spec: RunSpec) -> RawRun:
    """Run ``spec`` in a fresh interpreter under a supervisor; never raises for anything the program does.

    Sandboxed (bulk grading), raises ``InfrastructureError`` when the machine, not the program, failed the run."""
    raw = _run(spec, _sandbox)
    if _sandbox is not None:
        why = infrastructure_failure(raw.status)
        if why:
            raise InfrastructureError(why)
    return raw


_compiled = False


def _compile_kit() -> None:
    """Byte-compile the kit once per judging process, where its folder is writable.

    Why: runs import the engine with ``PYTHONDONTWRITEBYTECODE`` (no ``__pycache__`` beside a student's file), so
    the engine's own modules, which the judge never imports itself, were compiled from source by every run: a
    third of an unsandboxed run's CPU.  (Sandboxed runs use a compiled copy: ``sandbox.kit_copy``.)"""
    global _compiled
    if not _compiled:
        _compiled = True
        import compileall

        try:
            compileall.compile_dir(str(PACKAGE_DIR), quiet=2)
        except OSError:
            pass  # a read-only installation: its runs compile as before


def _run(spec: RunSpec, sandbox_settings: Sandbox | None) -> RawRun:
    if sandbox_settings is None:
        _compile_kit()
    try:
        work = Path(tempfile.mkdtemp(prefix="coursekit-run-",
                                     dir=platform.run_folder_parent() if sandbox_settings is None else None))
    except OSError as exc:
        if sandbox_settings is None:
            raise
        raise InfrastructureError(f"could not make the run's folder ({exc.strerror or exc})") from None
    try:
        return _run_in(spec, sandbox_settings, work)
    except OSError as exc:  # the judge's own files (a full disk, too many open files): not the program's doing
        if sandbox_settings is None:
            raise
        raise InfrastructureError(f"the grader could not prepare or read the run ({exc.strerror or exc})") from None
    finally:
        reading.remove_tree(work)


def _supervise(job: dict[str, Any], work: Path, box: Any) -> tuple[int, bytes]:
    """Run the job's supervisor to its end: forked from a warm interpreter where possible (``warm``), else
    started as a new program.  Returns its pid and what it wrote to stderr."""
    wall = float(job["wall_s"]) + 30
    warm_sup = warm.start_supervisor(job["cmd"][0], job["env"], work / "job.json", work / "supervisor.err")
    if warm_sup is not None:
        return warm_sup.pid, warm_sup.finish(wall)
    supervisor, exe = SUPERVISOR, sys.executable
    if box is not None:  # a command line every user can read in /proc: let it name no course or venv folder
        supervisor, exe = box.kit / "_judge" / "supervise.py", os.path.realpath(sys.executable)
    sup = subprocess.Popen(
        [exe, "-I", "-S", str(supervisor), str(work / "job.json")],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        **platform.new_session_options(),  # type: ignore[call-overload]  # its own session: killed as one
    )
    try:
        _, sup_err = sup.communicate(timeout=wall)
    except subprocess.TimeoutExpired:
        platform.kill_group(sup.pid)
        _, sup_err = sup.communicate()
    return sup.pid, sup_err


def _run_in(spec: RunSpec, sandbox_settings: Sandbox | None, work: Path) -> RawRun:
    box = None
    try:
        trace_dir = work / "trace"
        trace_dir.mkdir()
        module = spec.module.resolve()
        driver = [str(spec.driver[0]), spec.driver[1]] if spec.driver else None
        sandbox = work / "cwd"
        sandbox.mkdir()
        if sandbox_settings is not None:  # copies of just the files this run needs, in directories only its uid can use
            box = prepare_box(sandbox_settings, work, module, spec.driver[0] if spec.driver else None)
            module, sandbox, trace_dir = box.module, box.cwd, box.trace
            driver = [str(box.driver), spec.driver[1]] if box.driver and spec.driver else None
        harness_spec: dict[str, Any] = {
            "model": spec.model, "module": str(module), "name": module.stem, "call": spec.call,
            "args": list(spec.args), "tie": spec.tie, "trace": str(trace_dir),
            "driver": driver, "work": list(spec.work), "schedules": list(spec.schedules),
            "limit_s": spec.limits.virtual_s, "stall_s": spec.limits.stall_s, "max_events": spec.limits.max_events,
        }
        if box is not None:
            harness_spec["guard"] = box.guard_spec()
        (work / "spec.json").write_text(json.dumps(harness_spec), encoding="utf-8")
        job = {
            "cmd": [sys.executable, "-m", "coursekit._engine.harness", str(work / "spec.json")],
            "cwd": str(sandbox), "env": unsandboxed(),
            "stdout": str(work / "stdout"), "stderr": str(work / "stderr"), "status": str(work / "status.json"),
            "wall_s": spec.limits.wall_s, "memory_bytes": spec.limits.memory_mb * 1024 * 1024,
            "file_bytes": spec.limits.output_kb * 1024,
        }
        if box is not None and sandbox_settings is not None:
            job.update(sandbox_job(sandbox_settings, box, work))
        (work / "job.json").write_text(json.dumps(job), encoding="utf-8")
        os.chmod(work / "job.json", 0o600)
        sup_pid, sup_err = _supervise(job, work, box)
        # Everything below is read as hostile input (coursekit/_judge/reading.py): the run could reach it.
        status = reading.read_json(work / "status.json")
        pid_text = reading.read_text(work / "status.json.pid", 32).strip()
        root_pid = int(pid_text) if pid_text.isdigit() else -1
        if not isinstance(status, dict):  # the supervisor itself was killed (by the student's code, or by us)
            status = {"supervisor_lost": True, "detail": sup_err.decode("utf-8", "replace")[-500:]}
            if root_pid > 0:
                platform.kill_group(root_pid)
            if platform.kind() == "linux" and os.geteuid() == 0:
                supervise.end_lost_run(sup_pid)  # its cgroups, and what is left in them
        elif isinstance(status.get("root_pid"), int):  # the run's own PID namespace numbers its processes
            root_pid = status["root_pid"]
        if box is not None:
            status["guard"] = box.read_guard()
        limits = reading.ReadLimits.for_run(spec.limits.output_kb, spec.limits.max_events)
        trace = reading.read_trace(trace_dir, limits)
        if trace.refusals:  # files no kit writer makes: the run tampered with its trace
            status["guard"] = [*(status.get("guard") or []), *reading.refusal_records(trace.refusals)]
        observation = _observation(work, status, limits) if box is not None else None
        if observation is not None:
            if observation.root is not None and not isinstance(status.get("root_pid"), int):
                root_pid = observation.root  # the observer sits between the supervisor and the harness
            status["guard"] = [*(status.get("guard") or []),
                               *_unseen(observation, trace.events, spec)]
        if trace.refusals or trace.strings_cut:
            status["trace_read"] = {"refused": [f"{r.name} {r.why}" for r in trace.refusals[:10]],
                                    "strings_cut": trace.strings_cut}
        raw = RawRun(
            spec=spec, events=trace.events, root_pid=root_pid, status=status,
            stdout=reading.read_text(work / "stdout"), stderr=reading.read_text(work / "stderr"),
        )
        if spec.schedules:
            raw = dataclasses.replace(raw, forks=_forks(raw, trace_dir, observation))
        return raw
    finally:
        if box is not None:
            release_box(box)
