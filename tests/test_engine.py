"""Engine tests: the virtual clock, tie policies, deadlock detection, clean-up of leaked processes, and what a
student sees from `pytest exercises/`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coursekit._judge import runner
from coursekit._judge.timeline import build

ROOT = Path(__file__).resolve().parent.parent


def observe(tmp_path: Path, source: str, model: str = "threads", tie: str = "fifo", **limits):
    path = tmp_path / "prog.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    spec = runner.RunSpec(model, path, tie=tie, limits=runner.Limits(**limits))
    return build(runner.run(spec))


def test_virtual_clock_is_exact_for_locks_conditions_and_queues(tmp_path):
    tl = observe(tmp_path, """
        import threading, time, queue
        def main():
            q = queue.Queue()
            cond = threading.Condition()
            def producer():
                for i in range(3):
                    time.sleep(0.1)
                    q.put(i)
            def consumer():
                for _ in range(3):
                    print(f"got {q.get()}")
                with cond:
                    cond.wait(timeout=2.5)
                print("woke")
            ts = [threading.Thread(target=producer), threading.Thread(target=consumer)]
            for t in ts: t.start()
            for t in ts: t.join()
    """)
    assert [(round(x.t, 6), x.text) for x in tl.lines] == [
        (0.1, "got 0"), (0.2, "got 1"), (0.3, "got 2"), (2.8, "woke")]


def test_tie_policy_decides_simultaneous_events(tmp_path):
    source = """
        import threading, time
        def worker(name):
            time.sleep(1)
            print(name)
        def main():
            ts = [threading.Thread(target=worker, args=(n,)) for n in "ab"]
            for t in ts: t.start()
            for t in ts: t.join()
    """
    fifo = [x.text for x in observe(tmp_path, source, tie="fifo").lines]
    lifo = [x.text for x in observe(tmp_path, source, tie="lifo").lines]
    assert fifo == ["a", "b"] and lifo == ["b", "a"]


def test_deadlock_is_found_at_once_with_locations(tmp_path):
    tl = observe(tmp_path, """
        import threading
        def main():
            lock = threading.Lock()
            lock.acquire()
            lock.acquire()
    """)
    kinds = [p["kind"] for p in tl.problems]
    assert kinds == ["deadlock"]
    assert "prog.py:6 in main" in tl.problems[0]["waits"][0]["where"]


def test_endless_sleeping_loop_stops_at_the_virtual_limit(tmp_path):
    tl = observe(tmp_path, """
        import time
        def main():
            while True:
                time.sleep(1)
    """, virtual_s=50)
    assert [p["kind"] for p in tl.problems] == ["time-limit"]


def test_busy_loop_is_stopped_by_the_watchdog(tmp_path):
    tl = observe(tmp_path, """
        def main():
            while True:
                pass
    """, stall_s=0.5)
    assert tl.problems[0]["kind"] == "stuck" and "prog.py:3" in tl.problems[0]["where"]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to look for survivors")
def test_escaped_grandchildren_are_killed(tmp_path):
    marker = tmp_path / "pid"
    tl = observe(tmp_path, f"""
        import subprocess, sys
        def main():
            p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
            open({str(marker)!r}, "w").write(str(p.pid))
            print("started")
    """)
    pid = int(marker.read_text())
    assert tl.completed
    with pytest.raises(OSError):
        os.kill(pid, 0)  # gone: killed and reaped by the supervisor


def test_os_exit_in_main_is_never_a_completed_run(tmp_path):
    tl = observe(tmp_path, """
        import os
        def main():
            print("Done!")
            os._exit(0)
    """)
    assert not tl.completed


def test_students_see_short_messages_from_pytest_exercises(tmp_path):
    """A stub, graded by `pytest exercises/` in a course of one exercise (the repo's copy may be solved)."""
    ex_id = "threads/numbers_letters_threads"
    registry = (ROOT / "course.toml").read_text(encoding="utf-8")
    entry = registry[registry.index(f'id = "{ex_id}"'):].split("[[exercise]]")[0]
    (tmp_path / "course.toml").write_text(f"[[exercise]]\n{entry}", encoding="utf-8")
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    for folder in ("exercises", "solutions", "graders"):
        (tmp_path / folder / "threads").mkdir(parents=True)
        shutil.copy(ROOT / folder / f"{ex_id}.py", tmp_path / folder / f"{ex_id}.py")
    (tmp_path / "exercises" / f"{ex_id}.py").write_text(textwrap.dedent("""
        def print_numbers():
            raise NotImplementedError("print_numbers(): sleep 1 s, then print 'Number: i'")

        def print_letters():
            raise NotImplementedError("print_letters(): sleep 1.5 s, then print 'Letter: x'")

        def main():
            raise NotImplementedError("main(): start two threads, join both, then print 'Done!'")
    """), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pytest", "exercises/threads/", "-q", "-p", "no:cacheprovider"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "7 failed" in proc.stdout
    assert "Not written yet" in proc.stdout
    assert "Traceback" not in proc.stdout and "NotImplementedError:" not in proc.stdout


def test_a_finding_joins_its_sentence_and_its_advice_cleanly():
    from coursekit._judge.diagnose import Finding

    assert Finding("k", "main() never joined", "Call join().").text() == "main() never joined. Call join()."
    assert Finding("k", "Done twice?", "Print it once.").text() == "Done twice? Print it once."
    assert Finding("k", "", "Start one thread per job.").text() == "Start one thread per job."
    assert Finding("k", "Nothing ran.", "").text() == "Nothing ran."
