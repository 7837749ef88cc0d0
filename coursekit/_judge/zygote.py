"""A warm start for runs: one interpreter that has imported the harness, forked once per run (its server side).

Why: a run used to cost two interpreter starts (the supervisor's and the harness's) and every import of the
engine and of the grader's modules again, about 0.15 s of CPU, most of what a short run costs.  A judging process
starts this once (``coursekit/_judge/warm.py``), as ``python -m coursekit._judge.zygote`` with the runs'
environment, and then asks it for each run.  For each request it forks a *supervisor* (``supervise.main``, the same
code as a cold one, in a new session), which forks the harness through ``fork_start`` instead of starting a
program: the harness child applies the same isolation (``supervise._limits``: session, cgroups, namespaces, root,
uid, limits) and then calls ``harness.main`` in the interpreter it already has.

What a run inherits from here is only what any harness has: the kit's modules, imported from the same folder
(the kit copy, for bulk grading), and the runs' environment.  This process reads nothing of any run (it passes
the job's path on unread), starts no thread, and holds no descriptor but its socket to the judge, which every
fork closes first; the harness starts from a clean stack (``_Go`` unwinds the supervisor's frames first, so its
job is not reachable by walking frames), with its own environment, its own random seed and the spec it is given.
When the judge goes away (the socket ends), this process ends; supervisors already started finish their runs.

Protocol: the judge sends one line, ``JOB_PATH\\tERR_PATH\\n``; the reply is one byte, ``+`` with a pidfd of the
supervisor (``SCM_RIGHTS``), so that the judge waits for it, and kills its session, without a pid that could be
reused.
"""

from __future__ import annotations

import os
import random
import select
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from typing import IO, NoReturn

from coursekit._engine import harness

WARM = ("coursekit._engine.threads", "coursekit._engine.event_loop", "coursekit._engine.processes.lifecycle",
        "coursekit._engine.preempt", "coursekit._engine.exploration", "coursekit.checks", "coursekit.grading",
        "coursekit.scenarios", "coursekit._judge.supervise")
"""Imported before any fork: the engines and what graders' drivers import (their modules' own code runs per run)."""

HARNESS = ("-m", "coursekit._engine.harness")
_PATH0 = sys.path[0] if sys.path else ""


class _Go(BaseException):  # not an error: the harness child leaving the supervisor's stack
    """Raised in the harness child once it is isolated: unwinds to ``_serve_one``, which calls the harness."""

    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        super().__init__()
        self.cmd, self.env = cmd, env


class Forked:
    """A forked harness child, as ``supervise.main`` uses a ``subprocess.Popen``."""

    def __init__(self, pid: int, args: list[str]) -> None:
        self.pid, self.args = pid, args
        self.returncode: int | None = None
        self._pidfd = os.pidfd_open(pid)

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if timeout is not None:
                ready, _, _ = select.select([self._pidfd], [], [], max(timeout, 0))
                if not ready:
                    raise subprocess.TimeoutExpired(self.args, timeout)
            try:
                _, status = os.waitpid(self.pid, 0)
                self.returncode = os.waitstatus_to_exitcode(status)
            except ChildProcessError:  # reaped already (the supervisor reaps orphans): as ``Popen`` says then
                self.returncode = 0
            os.close(self._pidfd)
        return self.returncode

    def poll(self) -> int | None:
        if self.returncode is None:
            ready, _, _ = select.select([self._pidfd], [], [], 0)
            if ready:
                self.wait()
        return self.returncode


def fork_start(cmd: list[str], prepare: Callable[[], None], *, cwd: str, env: dict[str, str], stdout: IO[bytes],
               stderr: IO[bytes]) -> Forked:
    """``platform.start`` without a new program: fork, and in the child do what ``Popen`` does before ``exec``
    (standard streams, no other descriptor, ``cwd``, then ``prepare``), then run the harness here.  Raises
    ``OSError`` when ``prepare`` failed (the supervisor then tries the next level), as ``Popen`` would."""
    if list(cmd[1:3]) != list(HARNESS):
        raise OSError(f"a warm start runs the harness only, not {cmd[1:3]}")
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_r)
        try:
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(stdout.fileno(), 1)
            os.dup2(stderr.fileno(), 2)
            stdout.close()  # (the supervisor's objects for them: closed here, before their descriptors are)
            stderr.close()
            os.closerange(3, ready_w)
            os.closerange(ready_w + 1, 1 << 16)
            os.chdir(cwd)
            prepare()  # isolation; under namespaces it returns only in the harness (pid 2), see supervise
            os.write(ready_w, b"+")
            os.close(ready_w)
        except BaseException as exc:  # noqa: BLE001 - the parent is told, then tries the next level
            try:
                os.write(ready_w, f"-{type(exc).__name__}: {exc}".encode()[:2000])
            finally:
                os._exit(126)
        raise _Go(list(cmd), dict(env))
    os.close(ready_w)
    said = b""
    while True:
        chunk = os.read(ready_r, 4096)
        if not chunk:
            break
        said += chunk
    os.close(ready_r)
    if not said.startswith(b"+"):
        os.waitpid(pid, 0)
        raise OSError(said[1:].decode("utf-8", "replace") or "the harness child ended before it was isolated")
    return Forked(pid, list(cmd))


def _run_harness(go: _Go) -> NoReturn:
    """In the isolated harness child, with the supervisor's frames gone: become a fresh harness."""
    os.environ.clear()
    os.environ.update(go.env)
    tempfile.tempdir = None  # (computed from TMPDIR on first use)
    random.seed()  # a fresh interpreter's seed, not the zygote's
    for name in ("SIGPIPE", "SIGXFSZ"):  # as an interpreter started anew sets them
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    sys.argv = [harness.__file__, go.cmd[3]]
    sys.modules["__main__"] = harness  # as under ``python -m``: what ``spawn`` children import as their main
    if sys.path and sys.path[0] == _PATH0:  # ``python -m`` puts its working directory first: the run's, not ours
        sys.path[0] = os.getcwd()
    try:
        harness.main(sys.argv)
    finally:
        os._exit(1)  # the harness ends the process itself (``Harness.finish``); never fall back here


def _serve_one(job_path: str, err_path: str) -> _Go:
    """The forked supervisor of one run; returns only in its harness child, isolated, with what to run."""
    from coursekit._judge import supervise  # (imported before any fork: ``WARM``)

    try:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(err, 2)
        os.closerange(3, 1 << 16)
        supervise.main(job_path, starter=fork_start)
    except _Go as go:
        return go
    except BaseException as exc:  # noqa: BLE001 - as a cold supervisor that crashed: no status file
        try:
            os.write(2, f"{type(exc).__name__}: {exc}\n".encode())
        finally:
            os._exit(1)
    os._exit(0)


def main() -> _Go | None:
    """Serve the judge until its socket ends (None); in a run's harness child, return what to run there, so that
    nothing of the loop (the requests it read) is left on the stack."""
    import importlib

    for name in WARM:
        importlib.import_module(name)
    from coursekit._judge.supervise import reap_zombies  # (the supervisors it forked, once they end)

    channel = socket.socket(fileno=int(sys.argv[1]))
    pending = b""
    while True:
        reap_zombies()
        ready, _, _ = select.select([channel], [], [], 1.0)
        if not ready:
            continue
        try:
            data = channel.recv(65536)
        except OSError:
            return None
        if not data:
            return None  # the judge is gone
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            job_path, _, err_path = line.decode("utf-8", "surrogateescape").partition("\t")
            pid = os.fork()
            if pid == 0:
                channel.close()
                return _serve_one(job_path, err_path)
            pidfd = os.pidfd_open(pid)
            try:
                socket.send_fds(channel, [b"+"], [pidfd])
            except OSError:
                return None
            finally:
                os.close(pidfd)


if __name__ == "__main__":
    _go = main()
    if _go is None:  # the judge is gone, and waits for this process to end: end now, without an interpreter's
        os._exit(0)  # teardown (no stream of ours holds anything; the supervisors started go on without us)
    _run_harness(_go)
