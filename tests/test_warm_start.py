"""The warm start (``coursekit/_judge/zygote.py``, ``coursekit/_judge/warm.py``): runs forked from one interpreter
that has imported the harness must be the runs a new interpreter gives, and must inherit nothing of it or of
other runs.  Each test runs programs warm and, where it compares, cold (``warm.available`` off)."""

from __future__ import annotations

import os
import signal
import textwrap
from pathlib import Path

import pytest

from coursekit._judge import runner, warm
from coursekit._judge.sandbox import Sandbox
from coursekit._judge.timeline import build

pytestmark = pytest.mark.skipif(not warm.available(), reason="a warm start needs Linux with pidfds")

LOOK = """
import os, random, sys, threading

def main():
    frame, files, job = sys._getframe(), [], False
    while frame is not None:
        files.append(os.path.basename(frame.f_code.co_filename))
        job = job or any("job.json" in repr(value) or "supervisor.err" in repr(value)
                         for value in frame.f_locals.values())
        frame = frame.f_back
    print("frames", "supervise.py" in files, job)
    print("fds", sorted(int(fd) for fd in os.listdir("/proc/self/fd")))
    print("cwd", os.getcwd() == sys.path[1] or (os.getcwd(), sys.path[:2]))
    print("argv", os.path.basename(sys.argv[0]), os.path.basename(os.path.dirname(sys.argv[1])) != "")
    print("random", random.random())
    t = threading.Thread(target=lambda: print("thread", threading.current_thread().name))
    t.start()
    t.join()
"""


def _run(tmp_path: Path, source: str, name: str = "prog.py", sandboxed: bool = False,
         limits: runner.Limits | None = None) -> runner.RawRun:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    if sandboxed:
        runner.use_sandbox(Sandbox(levels=("namespaces",)) if _namespaces() else Sandbox(levels=("limits",),
                                                                                            unsafe=True))
    try:
        return runner.run(runner.RunSpec("threads", path, limits=limits or runner.Limits()))
    finally:
        runner.use_sandbox(None)


def _namespaces() -> bool:
    import subprocess

    return os.geteuid() == 0 and subprocess.run(
        ["unshare", "--mount", "--net", "--ipc", "--pid", "--fork", "true"], capture_output=True,
        check=False).returncode == 0


def _lines(raw: runner.RawRun) -> dict[str, str]:
    return {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in raw.stdout.splitlines() if " " in line}


@pytest.mark.parametrize("sandboxed", [False, True], ids=["plain", "sandboxed"])
def test_a_warm_run_sees_what_a_new_interpreter_sees(tmp_path, monkeypatch, sandboxed):
    warm_runs = [_lines(_run(tmp_path, LOOK, f"w{i}.py", sandboxed)) for i in range(2)]
    monkeypatch.setattr(warm, "available", lambda: False)
    cold = _lines(_run(tmp_path, LOOK, "cold.py", sandboxed))
    for seen in warm_runs:
        # no frame of the supervisor below main(), nor one that holds the job it read: not reachable
        assert seen["frames"] == cold["frames"] == "False False", seen
        assert seen["fds"] == cold["fds"] and seen["cwd"] == cold["cwd"] == "True"
        assert seen["argv"] == cold["argv"] and seen["thread"] == cold["thread"] == "Thread-1 (<lambda>)"
    assert warm_runs[0]["random"] != warm_runs[1]["random"]  # each run its own seed, as a new interpreter


def test_warm_and_cold_runs_give_the_same_timeline(tmp_path, monkeypatch):
    source = """
        import threading, time
        def work(name, pause):
            for i in range(3):
                time.sleep(pause)
                print(f"{name} {i}")
        def main():
            ts = [threading.Thread(target=work, args=(n, p)) for n, p in (("a", 1), ("b", 1.5))]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
    """
    warm_tl = build(_run(tmp_path, source, "warm.py"))
    monkeypatch.setattr(warm, "available", lambda: False)
    cold_tl = build(_run(tmp_path, source, "cold.py"))
    assert [(x.t, x.text) for x in warm_tl.lines] == [(x.t, x.text) for x in cold_tl.lines]
    assert [(x.t, x.text) for x in warm_tl.lines][:2] == [(1.0, "a 0"), (1.5, "b 0")]


def test_runs_share_one_zygote_and_go_on_when_it_is_gone(tmp_path):
    grandparent = """
        import os
        def main():
            with open(f"/proc/{os.getppid()}/stat", "rb") as f:  # the supervisor's parent: the zygote
                print(int(f.read().rsplit(b")", 1)[1].split()[1]))
    """
    zygotes = [int(_run(tmp_path, grandparent, f"p{i}.py").stdout) for i in range(2)]
    assert zygotes[0] == zygotes[1] > 1
    os.kill(zygotes[0], signal.SIGKILL)
    raw = _run(tmp_path, "def main():\n    print('still graded')\n", "after.py")
    assert raw.stdout == "still graded\n"


def test_a_run_past_the_wall_clock_limit_is_timed_out_not_a_regrade(tmp_path):
    # The supervisor kills what is left of the run at the limit and reaps it while it cleans up: the harness child
    # it then waits for may be gone already.  That is a time-out (the program's), never the machine's failure.
    raw = _run(tmp_path, """
        import select
        def main():
            select.select([], [], [], 60)  # a real wait the scheduler cannot see, longer than the limit
    """, "slow.py", sandboxed=True, limits=runner.Limits(wall_s=3.0, stall_s=600.0))
    assert raw.status["timed_out"] is True
    assert runner.infrastructure_failure(raw.status) == ""


def test_a_harness_child_reaped_by_the_supervisors_sweep_is_waited_for_as_popen_would():
    # At the wall-clock limit the supervisor kills the run's uid and reaps what ended (its sweep of orphans) before
    # it waits for its own child: the child may be reaped already.  ``Popen.wait`` then says 0; so must this, or
    # the supervisor would crash and the run would count as the machine's failure (a regrade) under load.
    from coursekit._judge.zygote import Forked

    pid = os.fork()
    if pid == 0:
        os._exit(3)
    child = Forked(pid, ["harness"])
    os.waitpid(pid, 0)  # the sweep
    assert child.wait(timeout=5) == 0


@pytest.mark.skipif(not warm.available(), reason="no warm start on this system")
@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_course_check_starts_its_runs_zygote_before_it_loads_the_grader_and_the_runs_use_that_one(
        tmp_path, unbuffered):
    # The zygote takes ~0.1 s to import: started first, it imports while the command loads the course.  It
    # serves one environment, so the command must start it with the runs' own (PYTHONUNBUFFERED included), or
    # the first run would start a second one and wait for it.
    import subprocess
    import sys

    from tests._course_copy import ROOT, copy_course

    course = copy_course(tmp_path / "course")
    program = textwrap.dedent("""
        import sys
        from coursekit._judge import warm
        started = []
        real = warm._Zygote.__init__
        def counting(self, exe, env):
            started.append(sorted(m for m in ("coursekit._judge.runner", "coursekit._cli.practice",
                                              "coursekit.registry") if m in sys.modules))
            real(self, exe, env)
        warm._Zygote.__init__ = counting
        from coursekit.cli import main
        try:
            main(["check", "threads/numbers_letters_threads"])
        except SystemExit:
            pass
        print("STARTED", started)
    """)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env.update(PYTHONPATH=str(ROOT), **({"PYTHONUNBUFFERED": unbuffered} if unbuffered else {}))
    done = subprocess.run([sys.executable, "-c", program], cwd=course, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    said = [line for line in done.stdout.splitlines() if line.startswith("STARTED")]
    assert said == ["STARTED [[]]"], done.stdout[-2000:] + done.stderr[-2000:]
    assert "0/10 points" in done.stdout  # the stub was checked (by that one zygote)
