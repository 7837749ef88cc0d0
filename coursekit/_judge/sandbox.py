"""Judge side of isolation: what a sandboxed run may see, which user it runs as, and how to undo it afterwards.

Bulk grading runs code written by people who may try to cheat, so every run gets:

* a *box*: fresh directories holding only copies of what the run needs (the submission file; the grader file
  when the grader has a ``driver``), owned by a dedicated unprivileged uid from a small pool (one uid per
  concurrent run, so that a fork storm of one submission cannot use up another's process allowance);
* a read-only copy of the ``coursekit`` package (the harness imports it) outside the course directory, so that
  the course directory itself (solutions, graders, tests, ``.git``) need not be visible to the run;
* the supervisor (``_supervise.py``, running as root) then enters new mount, network, IPC and PID namespaces and
  a new root directory holding only the system folders, the interpreter, the kit copy and the run's own folder
  (every writable place a private, size-capped tmpfs), puts the run in cgroups of its own, drops to the run's
  uid and applies resource limits.  Where that is not possible it falls back step by step,
  and reports which protections applied (``status["sandbox"]``).

The in-process audit guard (``_guard.py``) is configured from here too (``Box.guard_spec``), with nothing that
names a host folder: the folders it must refuse (course, submissions, results) go to it as salted digests.

**Never as root.**  Student code never runs as root unless the instructor says so: as root, a level that cannot
drop to an unprivileged uid (``limits``) is not tried, and when no level that can is available here
``runner.use_sandbox`` refuses to grade with ``IsolationRefused``, whose message names the fixes.  ``unsafe``
(``course grade --unsafe``) grades anyway, and every run's ``status["sandbox"]["unsafe"]`` records it.
"""

from __future__ import annotations

import atexit
import compileall
import hashlib
import os
import shutil
import stat
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit._judge.environment import PACKAGE_DIR, RUN_ENV
from coursekit._judge.reading import read_records

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
SYSTEM_DIRS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr", "/etc")


@dataclass(frozen=True)
class Sandbox:
    """What bulk grading asks of every run."""

    hide: tuple[Path, ...] = ()  # the guard refuses any access to these (course root, submissions, results)
    uid_base: int = 61_000  # dedicated uids (no passwd entry needed); one per concurrent run
    uid_count: int = 128
    max_processes: int = 256  # processes and threads of the run's uid (RLIMIT_NPROC), and of its cgroup
    private_mb: int = 64  # size of each private tmpfs of a run (its folder, /tmp, /dev/shm) where it has them
    min_free_mb: int = 32  # less free space than this on the grader's disk after a run: not gradable, regrade
    run_memory_mb: int | None = None  # all of a run's processes together (cgroup); None: twice a process's limit
    # (the harness runs two of a submission's schedules at once, each in a forked copy)
    cpus: float = 2.0  # CPUs all of a run's processes together may use (cgroup quota): two schedules at once
    levels: tuple[str, ...] = ()  # isolation levels the supervisor may try (tests); empty: every level that fits
    unsafe: bool = False  # let student code run as root when nothing else is available (``--unsafe``)
    observe: bool = True  # observe each run from outside (``observe.py``); off only to measure what it costs
    # (``benchmarks/observer.py``): without it, nothing the trace claims is checked


class IsolationRefused(Exception):
    """Grading would run student code as root: the setup must be fixed first (or ``--unsafe`` given)."""


def refusal_message(tried: str, exe: str) -> str:
    """What to tell the instructor when no level here can run student code as another user than root.

    ``tried``: what the supervisor reported for each level it tried (empty: none was allowed)."""
    uid_level = ("" if _reachable(Path(exe)) else
                 f"; the 'uid' level needs an interpreter every user may run, and {exe} is not")
    return (
        "Refusing to grade: student code would run as root on this machine. No isolation level could run it "
        f"as another user ({tried or 'none that does was allowed'}{uid_level}). Fix one of these, then grade "
        "again: run `course grade` as an ordinary (non-root) user; or use a Python that every user may read and "
        "run (e.g. one under /usr or /usr/local, as in the python:*-slim images, with every folder above it "
        "searchable); or allow namespaces (CAP_SYS_ADMIN, e.g. an unconfined seccomp profile). To grade as root "
        "anyway, pass --unsafe: every results.json and the report then say so."
    )


@dataclass
class Box:
    work: Path
    cwd: Path
    module: Path
    trace: Path
    guard: Path
    driver: Path | None
    spec: Path
    kit: Path
    uid: int | None
    hide: tuple[str, ...] = ()  # host folders the guard refuses (sent to it only as digests)
    lock_fd: int | None = None
    student_files: list[str] = field(default_factory=list)

    def guard_spec(self) -> dict[str, Any]:
        """How the harness's audit guard protects the run's own files from the student's code."""
        protect = [str(self.trace), str(self.guard), str(self.spec)]  # the run's own: they name no host folder
        if self.driver is not None:
            protect.append(str(self.driver.parent))
        salt = os.urandom(16).hex()
        return {"protect": protect, "hidden": {"salt": salt, "digests": sorted(hidden_digest(salt, h)
                                                                                for h in self.hide)},
                "trace": str(self.trace), "kit": str(self.kit),
                "out": str(self.guard / "guard.jsonl"), "writable": [str(self.cwd)],
                "trusted": [str(self.driver.parent)] if self.driver is not None else []}

    def read_guard(self) -> list[dict[str, Any]]:
        """What the guard recorded (attempts it blocked, the final integrity check)."""
        return read_records(self.guard)  # regular files only, bounded: the run can reach them


# -- the kit copy, shared by the runs of this process ---------------------------------------------------------
_kit_lock = threading.Lock()
_kit_dir: Path | None = None


def kit_copy() -> Path:
    """A private, compiled, read-only copy of the ``coursekit`` package; the directory to put on PYTHONPATH."""
    global _kit_dir
    with _kit_lock:
        if _kit_dir is None:
            base = Path(tempfile.mkdtemp(prefix="coursekit-kit-"))
            os.chmod(base, 0o755)
            shutil.copytree(PACKAGE_DIR, base / "coursekit", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            compileall.compile_dir(str(base / "coursekit"), quiet=2)
            (base / "root").mkdir()  # where the supervisor builds the run's own root directory
            for folder, _dirs, files in os.walk(base):
                os.chmod(folder, 0o755)
                for name in files:
                    os.chmod(os.path.join(folder, name), 0o644)
            atexit.register(shutil.rmtree, base, True)
            _kit_dir = base
        return _kit_dir


# -- uids ----------------------------------------------------------------------------------------------------
UID_LOCKS = Path(tempfile.gettempdir()) / "coursekit-uids"


def _take_uid(sandbox: Sandbox) -> tuple[int | None, int | None]:
    """A uid no other run (of any grading process on this machine) is using, held by an flock."""
    if os.geteuid() != 0:
        return None, None
    import fcntl  # Unix only, and only bulk grading gets here: importing this module must work everywhere

    UID_LOCKS.mkdir(mode=0o700, exist_ok=True)
    while True:
        for uid in range(sandbox.uid_base, sandbox.uid_base + sandbox.uid_count):
            fd = os.open(UID_LOCKS / f"{uid}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            return uid, fd
        time.sleep(0.05)


def prepare_box(sandbox: Sandbox, work: Path, module: Path, driver: Path | None) -> Box:
    """Copy what the run needs into fresh directories that only the run's uid can use."""
    kit = kit_copy()
    uid, lock_fd = _take_uid(sandbox)
    box = Box(work=work, cwd=work / "box", module=work / "box" / module.name, trace=work / "trace",
              guard=work / "guard", driver=None, spec=work / "spec.json", kit=kit / "coursekit", uid=uid,
              hide=_hideable(sandbox.hide, work, kit), lock_fd=lock_fd)
    box.cwd.mkdir(exist_ok=True)
    box.trace.mkdir(exist_ok=True)
    box.guard.mkdir()
    shutil.copyfile(module, box.module)
    owned = [box.cwd, box.trace, box.guard, box.module]
    if driver is not None:
        (work / "driver").mkdir()
        box.driver = work / "driver" / driver.name
        shutil.copyfile(driver, box.driver)
        owned += [work / "driver", box.driver]
    if uid is not None:
        for path in owned:
            os.chown(path, uid, uid)
        os.chmod(work, 0o711)  # the run may pass through to its own directories, not list them
    for path in owned:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    return box


def _hideable(hide: tuple[Path, ...], *needed: Path) -> tuple[str, ...]:
    """The folders of ``hide`` that hold nothing the run itself needs (its folder, the kit, the interpreter)."""
    keep = [Path(os.path.realpath(p)) for p in (*needed, Path(sys.base_prefix), Path(os.path.dirname(os.__file__)))]
    out = []
    for folder in hide:
        real = Path(os.path.realpath(folder))
        if not any(k == real or k.is_relative_to(real) for k in keep):
            out.append(str(real))
    return tuple(out)


def hidden_digest(salt: str, folder: str) -> str:
    """How the guard knows a hidden folder without being told its name (``guard._Guard.hidden``)."""
    return hashlib.sha256((salt + folder).encode("utf-8", "surrogateescape")).hexdigest()


def release_box(box: Box) -> None:
    if box.lock_fd is not None:
        os.close(box.lock_fd)
        box.lock_fd = None


def _reachable(path: Path) -> bool:
    """Whether any user may run ``path``: every folder above it searchable by others, the file readable."""
    try:
        for folder in list(path.parents):
            if not os.stat(folder).st_mode & stat.S_IXOTH:
                return False
        return bool(os.stat(path).st_mode & stat.S_IROTH)
    except OSError:
        return False


def sandbox_job(sandbox: Sandbox, box: Box, work: Path) -> dict[str, Any]:
    """The supervisor's part of the job: command, environment, and the isolation to try, strongest first."""
    exe = Path(os.path.realpath(sys.executable))
    prefix = Path(os.path.realpath(sys.base_prefix))
    kit = box.kit.parent
    env = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "LC_CTYPE", "TERM", "PYTHONUNBUFFERED")}
    env.update(RUN_ENV)
    env.update(PATH=SYSTEM_PATH,  # not the grader's: an activated venv's PATH names the course folder
               PYTHONPATH=str(kit), HOME=str(box.cwd), TMPDIR=str(box.cwd))
    links, binds = [], []
    for folder in SYSTEM_DIRS:
        if os.path.islink(folder):
            links.append([folder, os.readlink(folder)])
        elif os.path.isdir(folder):
            binds.append(folder)
    for extra in (prefix, exe.parent, box.kit, work):
        if not any(str(extra) == b or str(extra).startswith(b + "/") for b in binds):
            binds.append(str(extra))
    return {
        "cmd": [str(exe), "-m", "coursekit._engine.harness", str(box.spec)],
        "env": env,
        "sandbox": {"uid": box.uid, "root": str(kit / "root"), "binds": binds, "links": links, "cwd": str(box.cwd),
                    "max_processes": sandbox.max_processes, "exe_reachable": _reachable(exe),
                    "private_bytes": sandbox.private_mb * 1024 * 1024, "trace": str(box.trace),
                    "guard": str(box.guard),
                    "min_free_bytes": sandbox.min_free_mb * 1024 * 1024,
                    "run_memory_bytes": sandbox.run_memory_mb * 1024 * 1024 if sandbox.run_memory_mb else None,
                    "cpus": sandbox.cpus,
                    "levels": list(sandbox.levels), "never_root": not sandbox.unsafe,
                    "observe": sandbox.observe},
    }
