"""What the operating system lets the supervisor do: everything Linux-only or Unix-only lives here.

Why one module: every check starts ``supervise.py``, so a Unix-only call there (``resource``, ``prctl``,
``os.killpg``) would stop every student on macOS or Windows before their program ran.  Each operation has a
portable fallback, and the level of isolation that results is stated, never implied:

* ``linux``: the supervisor is a child subreaper (``prctl``), finds every descendant in ``/proc`` (also those
  that called ``setsid()`` or double-forked), applies resource limits, and may use namespaces (bulk grading);
* ``posix`` (macOS, the BSDs): limits (``resource``, where the system enforces them), a new session and a kill
  of its process group at the end; no subreaper and no ``/proc``, so a descendant that left the session by
  ``setsid()`` is not found;
* ``windows``: no limits but the wall-clock one; a new process group, and the whole tree killed at the end
  with ``taskkill /T /F`` (which follows parent ids, so only descendants whose parent is still alive).

``COURSEKIT_PLATFORM=portable`` (or ``posix``) forces the fallback on Linux, to test it; ``windows`` can only be
chosen on Windows.  Contract: this file imports only the standard library, nothing of the kit, because
``supervise.py`` (run by path with ``-I -S``) loads it by its path; ``runner.py`` imports it as a module.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

TYPE_CHECKING = False  # loaded by the supervisor for every run: no typing import at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import IO, Any

ENV_VAR = "COURSEKIT_PLATFORM"
KINDS = ("linux", "posix", "windows")
PR_SET_CHILD_SUBREAPER = 36


def kind() -> str:
    """``linux``, ``posix`` or ``windows``: what this system allows (or the weaker kind ``COURSEKIT_PLATFORM``
    asks for).  A value it cannot honour is an error that names it."""
    native = "windows" if os.name == "nt" else "linux" if sys.platform.startswith("linux") else "posix"
    wanted = os.environ.get(ENV_VAR, "").strip().lower()
    if not wanted:
        return native
    if wanted == "portable":
        return "windows" if native == "windows" else "posix"
    if wanted not in KINDS:
        raise ValueError(f"{ENV_VAR}={wanted!r}: use one of {', '.join(KINDS)} or 'portable'")
    if wanted != native and not (native == "linux" and wanted == "posix"):
        raise ValueError(f"{ENV_VAR}={wanted!r} cannot be honoured on this {native} system")
    return wanted


def become_subreaper() -> bool:
    """Linux: orphans of the run are re-parented to us, so that none escapes the final sweep."""
    if kind() != "linux":
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (Linux, from ``/proc``); elsewhere none can be listed without psutil."""
    if kind() != "linux":
        return []
    kids: list[int] = []
    try:
        names = os.listdir("/proc")
    except OSError:
        return kids
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            kids.append(int(name))
    return kids


def cmdline(pid: int) -> str:
    """The command line of ``pid``, for the report of left-overs (Linux only; "" elsewhere)."""
    if kind() != "linux":
        return ""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()[:200]
    except OSError:
        return ""


def set_limits(memory_bytes: int | None, file_bytes: int | None, processes: int | None = None) -> list[str]:
    """Apply the resource limits this system enforces, in the child before it runs; returns those applied.

    macOS accepts ``RLIMIT_AS`` only as unlimited, so a memory limit is skipped there rather than failing."""
    if kind() == "windows":
        return []
    import resource

    applied = []
    wanted = [("memory", "RLIMIT_AS", memory_bytes), ("file size", "RLIMIT_FSIZE", file_bytes),
              ("core dumps", "RLIMIT_CORE", 0), ("processes", "RLIMIT_NPROC", processes)]
    for what, name, value in wanted:
        limit = getattr(resource, name, None)
        if value is None or limit is None or (value == 0 and what != "core dumps"):
            continue
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            if kind() == "linux":
                raise  # Linux enforces every one of them: a failure here is real
            continue
        applied.append(what)
    return applied


def start(cmd: list[str], prepare: Callable[[], None], *, cwd: str, env: dict[str, str], stdout: IO[bytes],
          stderr: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start the run in a group of its own, ready to be killed as one.

    ``prepare`` (run in the child before it starts: session, limits, namespaces) exists on Unix only; Windows
    starts a new process group instead, without limits."""
    options: dict[str, Any] = {"cwd": cwd, "env": env, "stdin": subprocess.DEVNULL, "stdout": stdout,
                               "stderr": stderr, "close_fds": True}
    if kind() == "windows":
        return subprocess.Popen(cmd, creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0), **options)
    return subprocess.Popen(cmd, preexec_fn=prepare, **options)  # noqa: PLW1509 - the supervisor has one thread


def new_session_options() -> dict[str, object]:
    """Popen options for the supervisor itself: its own session (Unix) or process group (Windows)."""
    if kind() == "windows":
        return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    return {"start_new_session": True}


def kill_group(pid: int) -> None:
    """Kill the process group (Unix) or process tree (Windows) led by ``pid``; silent when it is gone already."""
    if kind() == "windows":
        try:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(pid)], capture_output=True, timeout=30,  # noqa: S607
                           check=False)
        except (OSError, subprocess.SubprocessError):
            pass
        try:
            os.kill(pid, signal.SIGTERM)  # TerminateProcess on Windows
        except OSError:
            pass
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def isolation() -> str:
    """In words, what the supervisor can promise here (for README and the refusal of bulk grading)."""
    return {
        "linux": "resource limits, a subreaper and a sweep of every descendant (namespaces for bulk grading)",
        "posix": "resource limits and a kill of the run's session; descendants that leave it are not found",
        "windows": "a wall-clock limit and a kill of the run's process tree; no memory or file-size limits",
    }[kind()]


SHARED_MEMORY = "/dev/shm"  # noqa: S108 - only ``mkdtemp``'s own folders (mode 0700, a random name) go there
RUN_FOLDER_FREE = 512 * 1024 * 1024
"""Free bytes ``/dev/shm`` must have to hold the folders of unsandboxed runs (a run writes at most a few MB)."""


def run_folder_parent() -> str | None:
    """Where an unsandboxed run's folder goes: ``/dev/shm`` on Linux when it is a writable folder in memory with
    room to spare, else ``None`` (the system's temporary folder).

    Why: the processes engine shares its board between the run's processes as small files, replaced and read
    tens of thousands of times in one check; on a journaling disk each replacement costs the kernel a new inode,
    and a check of the queue workers exercise spent twice the CPU it spends in memory (0.8 s against 0.4 s of
    the harness's own, measured on ext4)."""
    if kind() != "linux":
        return None
    try:
        stats = os.statvfs(SHARED_MEMORY)
    except OSError:
        return None
    if stats.f_bavail * stats.f_frsize < RUN_FOLDER_FREE or not os.access(SHARED_MEMORY, os.W_OK | os.X_OK):
        return None
    return SHARED_MEMORY


__all__ = ["ENV_VAR", "KINDS", "RUN_FOLDER_FREE", "SHARED_MEMORY", "become_subreaper", "children", "cmdline",
           "isolation", "kill_group", "kind", "new_session_options", "run_folder_parent", "set_limits", "start"]
