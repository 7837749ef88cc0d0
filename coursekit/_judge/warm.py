"""Judge side of the warm start: supervisors forked from a zygote that has imported the harness already.

See ``coursekit/_judge/zygote.py`` for the other side and what a run inherits from it.  One zygote per
interpreter and environment of the runs (bulk grading's kit copy and an unsandboxed run's kit differ), started on
first use and ended when this process ends (its socket closes).  Where a warm start is not possible (not Linux,
no pidfd, the zygote could not start or stopped answering), a run starts its supervisor as a new program, as it
always did: same isolation, same verdict, more CPU.
"""

from __future__ import annotations

import atexit
import os
import select
import signal
import socket
import subprocess
import threading
from pathlib import Path

from coursekit._judge import platform

_UNSHARED = ("HOME", "TMPDIR")
"""The runs' environment variables that differ from run to run (each harness sets its own after the fork)."""


class Supervisor:
    """A supervisor forked by a zygote: not this process's child, so it is waited for through a pidfd."""

    def __init__(self, pidfd: int, err: Path) -> None:
        self.pidfd, self.err = pidfd, err
        self.pid = _pid_of(pidfd)

    def finish(self, timeout: float) -> bytes:
        """Wait for the supervisor to end (killing its session after ``timeout``); what it wrote to stderr."""
        ready, _, _ = select.select([self.pidfd], [], [], timeout)
        if not ready:
            try:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            except OSError:
                pass
            platform.kill_group(self.pid)
            select.select([self.pidfd], [], [], 30)
        os.close(self.pidfd)
        try:
            return self.err.read_bytes()[-4000:]
        except OSError:
            return b""


class _Zygote:
    def __init__(self, exe: str, env: dict[str, str]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.proc = subprocess.Popen(
                [exe, "-m", "coursekit._judge.zygote", str(theirs.fileno())], env=env, cwd="/",
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True)
        finally:
            theirs.close()
        self.sock = ours
        self.lock = threading.Lock()

    def spawn(self, job: Path, err: Path) -> Supervisor:
        with self.lock:
            self.sock.sendall(f"{job}\t{err}\n".encode("utf-8", "surrogateescape"))
            self.sock.settimeout(60)
            msg, fds, _, _ = socket.recv_fds(self.sock, 1, 1)
        if msg != b"+" or not fds:
            for fd in fds:
                os.close(fd)
            raise OSError("the warm start did not answer")
        return Supervisor(fds[0], err)

    def close(self) -> None:
        self.sock.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


_zygotes: dict[tuple[str, tuple[tuple[str, str], ...]], _Zygote | None] = {}
_lock = threading.Lock()


def available() -> bool:
    return platform.kind() == "linux" and hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")


def _zygote_for(exe: str, env: dict[str, str]) -> tuple[tuple[str, tuple[tuple[str, str], ...]], _Zygote | None]:
    key = (exe, tuple(sorted((k, v) for k, v in env.items() if k not in _UNSHARED)))
    with _lock:
        if key not in _zygotes:
            try:
                _zygotes[key] = _Zygote(exe, env)
            except OSError:
                _zygotes[key] = None
        return key, _zygotes[key]


def prestart(exe: str, env: dict[str, str]) -> None:
    """Start the zygote of ``exe`` and ``env`` now (it imports while the caller goes on), if it can be."""
    if available():
        _zygote_for(exe, env)


def start_supervisor(exe: str, env: dict[str, str], job: Path, err: Path) -> Supervisor | None:
    """Fork a supervisor for ``job`` from the zygote of ``exe`` and ``env`` (started if need be); None when a warm
    start is not possible here (the caller starts one as a new program)."""
    if not available():
        return None
    key, zygote = _zygote_for(exe, env)
    if zygote is None:
        return None
    try:
        return zygote.spawn(job, err)
    except OSError:  # it ended or stopped answering: runs go on cold
        with _lock:
            _zygotes[key] = None
        zygote.close()
        return None


def _pid_of(pidfd: int) -> int:
    with open(f"/proc/self/fdinfo/{pidfd}", "rb") as f:
        for line in f:
            if line.startswith(b"Pid:"):
                return int(line.split()[1])
    raise OSError("not a pidfd")


@atexit.register
def _close_all() -> None:
    for zygote in list(_zygotes.values()):
        if zygote is not None:
            try:
                zygote.close()
            except OSError:
                pass
    _zygotes.clear()


def _after_fork_in_child() -> None:
    global _lock
    _zygotes.clear()  # a forked judge (tests, pools) must not share this process's sockets
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):  # (not on Windows, where there is no warm start either)
    os.register_at_fork(after_in_child=_after_fork_in_child)
