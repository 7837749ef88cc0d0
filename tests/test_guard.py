"""The audit guard is no switch (README "Tampering", class 2 of issue 13): each test is one attack on it.

Every attack runs as a student's ``main()`` under the harness, sandboxed as bulk grading runs it, and must be
refused and recorded (the run then scores 0 as tampering); the honest counterparts (multiprocessing's own
children, a file in the run's folder truncated through its descriptor) must not be.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from coursekit._judge import runner
from coursekit._judge.sandbox import Sandbox
from coursekit.registry import Limits

FIND = """
import json, os, sys, threading
SETTINGS = json.loads(os.environ["COURSEKIT_GUARD"])
TRACE = SETTINGS["trace"]
"""


def _level() -> tuple[str, bool]:
    ok = os.geteuid() == 0 and subprocess.run(["unshare", "--mount", "--net", "--ipc", "--pid", "--fork", "true"],
                                              capture_output=True, check=False).returncode == 0
    return ("namespaces", False) if ok else ("limits", os.geteuid() == 0)


def guarded_run(tmp_path: Path, body: str, model: str = "threads") -> runner.RawRun:
    module = tmp_path / "attack.py"
    module.write_text(FIND + "\n\ndef main():\n" + textwrap.indent(textwrap.dedent(body), "    ") + "\n")
    level, unsafe = _level()
    runner.use_sandbox(Sandbox(levels=(level,), unsafe=unsafe))
    try:
        return runner.run(runner.RunSpec(model, module, limits=Limits(wall_s=30.0)))
    finally:
        runner.use_sandbox(None)


def refused(raw: runner.RawRun) -> list[str]:
    return [f"{r.get('kind')}: {r.get('detail')}" for r in raw.status.get("guard") or [] if not r.get("final")]


def test_the_reentrancy_flag_no_longer_switches_the_guard_off(tmp_path):
    raw = guarded_run(tmp_path, """
        guard = sys.modules["coursekit._engine.guard"]._guard
        class Busy:
            busy = True
        guard.local = Busy()  # the flag the hook used to read: "already checking, let it through"
        guard.busy = True
        try:
            open(os.path.join(TRACE, "99.jsonl"), "w").write("{}")
        except PermissionError:
            print("refused")
    """)
    assert any(r.startswith("grader-files") for r in refused(raw)), raw.status.get("guard")
    assert "refused" in raw.stdout


def test_exec_as_a_thread_target_is_the_students_code(tmp_path):
    raw = guarded_run(tmp_path, """
        code = "open(TRACE + '/98.jsonl', 'w').write('{}')"
        t = threading.Thread(target=exec, args=(code, {"TRACE": TRACE}))
        t.start()
        t.join()
    """)
    assert any(r.startswith("grader-files") for r in refused(raw)), raw.status.get("guard")
    assert 98 not in raw.events


def test_a_path_that_only_starts_like_the_kits_is_not_trusted(tmp_path):
    raw = guarded_run(tmp_path, """
        fake = SETTINGS["kit"] + "_look_alike/helper.py"  # shares the kit's prefix, not its folder
        code = compile("open(TRACE + '/97.jsonl', 'w').write('{}')", fake, "exec")
        t = threading.Thread(target=exec, args=(code, {"TRACE": TRACE}))
        t.start()
        t.join()
    """)
    assert any(r.startswith("grader-files") for r in refused(raw)), raw.status.get("guard")


def test_ftruncate_on_the_guards_own_descriptor_is_refused(tmp_path):
    raw = guarded_run(tmp_path, """
        for fd in range(3, 64):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if target.endswith("guard.jsonl"):
                try:
                    os.ftruncate(fd, 0)  # would erase what the guard recorded
                except PermissionError:
                    print("refused")
        with open("mine.txt", "w") as f:
            f.write("an honest file of the run's own")
            f.flush()
            os.ftruncate(f.fileno(), 3)  # allowed: its own folder
        print(open("mine.txt").read())
    """)
    assert any(r.startswith("grader-files") for r in refused(raw)), raw.status.get("guard")
    assert "refused" in raw.stdout and "\nan \n" in raw.stdout + "\n"


@pytest.mark.parametrize("call", ["os.mkfifo(path)", "os.mknod(path)", "__import__('posix').mkfifo(path)"])
def test_a_fifo_or_a_node_in_the_trace_folder_is_refused(tmp_path, call):
    raw = guarded_run(tmp_path, f"""
        path = os.path.join(TRACE, "96.jsonl")
        try:
            {call}
        except PermissionError:
            print("refused")
    """)
    assert any(r.startswith("grader-files") for r in refused(raw)), raw.status.get("guard")
    assert "refused" in raw.stdout


def test_fork_exec_without_popen_is_refused_but_multiprocessing_is_not(tmp_path):
    raw = guarded_run(tmp_path, """
        import _posixsubprocess, sys
        r, w = os.pipe()
        try:
            _posixsubprocess.fork_exec([b"/bin/echo", b"escaped"], [b"/bin/echo"], True, (), None, None,
                                       -1, -1, -1, -1, -1, -1, r, w, False, False, None, None, None, -1, None)
        except PermissionError:
            print("refused")
        import multiprocessing
        ctx = multiprocessing.get_context("spawn")
        p = ctx.Process(target=print, args=("from a spawned child",))
        p.start()
        p.join()
        print("child exit", p.exitcode)
    """, model="processes")
    assert [r for r in refused(raw) if "started another program" in r], raw.status.get("guard")
    assert "refused" in raw.stdout and "escaped" not in raw.stdout
    assert "child exit 0" in raw.stdout, raw.stdout + raw.stderr[-2000:]


def test_a_reloaded_posix_module_is_named_in_the_final_record(tmp_path):
    raw = guarded_run(tmp_path, """
        import _posixsubprocess, importlib
        del sys.modules["_posixsubprocess"]
        fresh = importlib.import_module("_posixsubprocess")  # a new module object: fork_exec unwrapped again
        print(fresh is _posixsubprocess)
    """)
    assert any("changed the grader's _posixsubprocess.fork_exec" in r for r in refused(raw)), raw.status.get("guard")


def _limits_run(tmp_path: Path, body: str) -> runner.RawRun:
    """At the ``limits`` level (as when grading as an ordinary user): the supervisor and the judge are visible to
    the run and share its uid, so only the guard stands between them."""
    module = tmp_path / "attack.py"
    module.write_text(FIND + "\n\ndef main():\n" + textwrap.indent(textwrap.dedent(body), "    ") + "\n")
    runner.use_sandbox(Sandbox(levels=("limits",), unsafe=True))
    try:
        return runner.run(runner.RunSpec("threads", module, limits=Limits(wall_s=30.0)))
    finally:
        runner.use_sandbox(None)


@pytest.mark.parametrize("how", ["kill", "pidfd", "proc_folder"])
def test_no_signal_reaches_the_supervisor_or_the_judge(tmp_path, how):
    # SIGWINCH changes nothing in either (ignored by default): were it let through, the test would still pass
    # its process; what is asserted is the guard's refusal, for the supervisor (the harness's parent) and the
    # judge (this process).
    send = {
        "kill": "os.kill(pid, signal.SIGWINCH)",
        "pidfd": "signal.pidfd_send_signal(os.pidfd_open(pid), signal.SIGWINCH)",
        "proc_folder": "signal.pidfd_send_signal(os.open(f'/proc/{pid}', os.O_RDONLY), signal.SIGWINCH)",
    }[how]
    raw = _limits_run(tmp_path, f"""
        import signal
        for pid in (os.getppid(), {os.getpid()}):
            try:
                {send}
                print("sent")
            except PermissionError:
                print("refused")
    """)
    assert raw.stdout.split() == ["refused", "refused"]
    assert len([r for r in refused(raw) if r.startswith("kill: ")]) == 2


def test_signals_within_the_run_are_not_refused(tmp_path):
    # A program may signal its own processes, however it holds them: a child it started, a pidfd of it, and
    # signal 0 to anything (it only asks whether a process exists).
    raw = _limits_run(tmp_path, f"""
        import signal
        os.kill(os.getpid(), 0)
        os.kill({os.getpid()}, 0)
        fd = os.pidfd_open(os.getpid())
        signal.pidfd_send_signal(fd, 0)
        signal.signal(signal.SIGUSR1, lambda *a: print("got it"))
        signal.pidfd_send_signal(fd, signal.SIGUSR1)
        os.kill(os.getpid(), signal.SIGUSR1)
        print("done")
    """)
    assert raw.stdout.split("\n")[:3] == ["got it", "got it", "done"], raw.stdout + raw.stderr
    assert refused(raw) == []
