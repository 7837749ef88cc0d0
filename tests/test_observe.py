"""Facts from outside the run: each test attacks one sentence of README's "Facts seen from outside the run".

The first tests run raw programs (no harness, no guard) in a run's box under the real supervisor, at every level
this machine reaches, and read what the observer (``coursekit/_judge/observe.py``) recorded: what they prove is
what the operating system holds, whatever the program does.  The last ones give ``corroborate.disagreements``
traces that claim what was not seen, one way each, and honest traces that must agree.
"""

from __future__ import annotations

import os

import pytest
from test_isolation import NAMESPACES, SYSTEM_PYTHON, UID, kill_when_named, run_raw

from coursekit._judge import observe
from coursekit._judge.corroborate import Observation, disagreements

PTRACE = pytest.mark.skipif(bool(observe.unavailable()), reason=observe.unavailable() or "")


def _levels() -> list:
    return [pytest.param("namespaces", marks=[NAMESPACES, PTRACE]), pytest.param("uid", marks=[UID, PTRACE]),
            pytest.param("limits", marks=PTRACE)]


def _run(tmp_path, script: str, level: str) -> dict:
    python = SYSTEM_PYTHON if level == "uid" else None
    unsafe = {"unsafe": True} if level == "limits" and os.geteuid() == 0 else {}
    done = run_raw(tmp_path, script, level, python=python, **unsafe)
    assert done["status"]["sandbox"]["level"] == level, done["status"]
    assert done["observed"] is not None and done["observed"].available, done
    return done


EVERY_WRITE = """
    import os, subprocess, sys, threading
    def me():
        return f"{os.getpid()}/{threading.get_native_id()}"
    print("main", me(), flush=True)
    def worker():
        print("thread", me(), flush=True)
        os.writev(1, [b"writev ", me().encode(), b"\\n"])
    threads = [threading.Thread(target=worker) for _ in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    os.write(2, f"stderr {me()}\\n".encode())
    if os.fork() == 0:
        print("forked", me(), flush=True)
        os._exit(0)
    os.wait()
    subprocess.run([sys.executable, "-c",
                    "import os, threading; print('exec', f'{os.getpid()}/{threading.get_native_id()}')"])
"""


@pytest.mark.parametrize("level", _levels())
def test_every_thread_and_process_and_each_of_their_writes_is_seen_with_who_wrote_it(tmp_path, level):
    """Sentence: the observer sees every thread and process of the run (clone, fork, and a new program started)
    and every write to descriptors 1 and 2 (``write``, ``writev``), with the OS thread that made it."""
    done = _run(tmp_path, EVERY_WRITE, level)
    seen = done["observed"]
    assert seen.writes_seen
    lines = [(tid, stream, text) for tid, stream, text in seen.sequence]
    kinds = [text.split()[0] for _, _, text in lines]
    assert kinds.count("thread") == 3 and kinds.count("writev") == 3, lines
    assert {"main", "stderr", "forked", "exec"} <= set(kinds), lines
    for tid, stream, text in lines:
        word, who = text.split()
        pid, native = (int(x) for x in who.split("/"))
        assert tid == native, f"{text!r} was recorded as written by thread {tid}"
        assert seen.process.get(tid) == pid, f"thread {tid} recorded in process {seen.process.get(tid)}, not {pid}"
        assert stream == ("err" if word == "stderr" else "out")
    threads = {tid for tid, _, text in lines if text.startswith("thread")}
    root = seen.root
    assert len(threads) == 3 and root not in threads and all(seen.process[t] == root for t in threads)
    children = {seen.process[tid] for tid, _, text in lines if text.split()[0] in ("forked", "exec")}
    assert len(children) == 2 and all(root in seen.ancestors(c) for c in children)


X32_AND_OTHER_ABIS = """
    import ctypes, os
    libc = ctypes.CDLL(None, use_errno=True)
    text = b"x32 write\\n"
    rc = libc.syscall(0x40000000 | 1, 1, text, len(text))  # write(2) through the x32 ABI: unseen if allowed
    print("x32", rc, ctypes.get_errno(), flush=True)
"""


@pytest.mark.parametrize("level", _levels())
def test_a_write_through_another_system_call_abi_is_refused(tmp_path, level):
    """Sentence: system calls of another ABI (the x32 numbers), which the filter's numbers would not match, are
    refused with ENOSYS, so no write gets past the observer that way."""
    done = _run(tmp_path, X32_AND_OTHER_ABIS, level)
    assert "x32 write" not in done["stdout"], done["stdout"]
    assert f"x32 -1 {38}" in done["stdout"], done["stdout"]


STOP_THE_OBSERVER = """
    import ctypes, os, signal
    libc = ctypes.CDLL(None, use_errno=True)
    observer = 1 if os.getpid() == 2 else os.getppid()  # init of the run's namespace, or the parent
    for sig in (signal.SIGKILL, signal.SIGSTOP, signal.SIGTERM):
        try:
            os.kill(observer, sig)
            print("signalled", sig, flush=True)
        except OSError as exc:
            print("refused", sig, exc.errno, flush=True)
    rc = libc.ptrace(16, observer, None, None)  # PTRACE_ATTACH
    print("ptrace", rc, ctypes.get_errno(), flush=True)
    try:
        print("fds", os.listdir(f"/proc/{observer}/fd"), flush=True)
    except OSError as exc:
        print("fds refused", exc.errno, flush=True)
    print("still observed", flush=True)
"""


@pytest.mark.parametrize("level", [pytest.param("namespaces", marks=[NAMESPACES, PTRACE]),
                                   pytest.param("uid", marks=[UID, PTRACE])])
def test_the_run_cannot_stop_trace_or_read_its_observer(tmp_path, level):
    """Sentence: at ``namespaces`` and ``uid`` the observer is root and the run is not: it cannot signal it,
    trace it, or open its descriptors, and what it writes after trying is still seen."""
    done = _run(tmp_path, STOP_THE_OBSERVER, level)
    out = done["stdout"]
    assert "signalled" not in out, out
    assert "ptrace -1" in out and "fds refused" in out, out
    assert any(text == "still observed" for _, _, text in done["observed"].sequence)


# -- the judge's side: a trace against an observation -----------------------------------------------------
ROOT, WORKER, OTHER = 100, 101, 102


def _seen(*lines: tuple[int, str], process: dict[int, int] | None = None, born: dict[int, int] | None = None,
          full: bool = False) -> Observation:
    obs = Observation(root=ROOT, writes_seen=True, full=full)
    obs.process = process or {ROOT: ROOT, WORKER: ROOT, OTHER: ROOT}
    obs.born = born if born is not None else {WORKER: 1, OTHER: 1}
    for tid, text in lines:
        obs.lines.setdefault(tid, []).append(("out", text))
        obs.sequence.append((tid, "out", text))
    return obs


def _trace(*lines: tuple[str, int, str], threads: tuple[str, ...] = ("T1", "T2"), pid: int = ROOT,
           partial: bool = False) -> dict[int, list[dict]]:
    events: list[dict] = [{"e": "spawn", "id": ctx, "kind": "thread"} for ctx in threads]
    events += [{"e": "line", "id": ctx, "tid": tid, "text": text, "stream": "out", **({"partial": True} if partial
               else {})} for ctx, tid, text in lines]
    return {pid: events}


HONEST = _seen((ROOT, "start"), (WORKER, "a1"), (OTHER, "b1"), (WORKER, "a2"), (ROOT, "done"))
HONEST_TRACE = _trace(("main", ROOT, "start"), ("T1", WORKER, "a1"), ("T2", OTHER, "b1"), ("T1", WORKER, "a2"),
                      ("main", ROOT, "done"))


def test_an_honest_trace_agrees_in_both_models():
    assert disagreements(HONEST, HONEST_TRACE, 500, serial=True) == []
    assert disagreements(HONEST, HONEST_TRACE, 500, serial=False) == []


def test_lines_the_trace_does_not_hold_are_not_held_against_it():
    extra = _seen((ROOT, "start"), (ROOT, "written around sys.stdout"), (WORKER, "a1"), (OTHER, "b1"),
                  (WORKER, "a2"), (ROOT, "done"))
    assert disagreements(extra, HONEST_TRACE, 500, serial=True) == []


@pytest.mark.parametrize(("name", "trace", "words"), [
    ("a process that never existed", _trace(("main", 999, "x"), pid=999), "never existed"),
    ("no writer named", {ROOT: [{"e": "line", "id": "main", "text": "start", "stream": "out"}]}, "never existed"),
    ("a writer outside the run", _trace(("main", 4242, "start")), "never existed"),
    ("a line nobody wrote", _trace(("main", ROOT, "start"), ("T1", WORKER, "a forged line")), "never written"),
    ("a worker's line on main", _trace(("main", ROOT, "start"), ("T1", ROOT, "a1")), "did not print it"),
    ("one thread as two", _trace(("T1", WORKER, "a1"), ("T2", WORKER, "a2")), "did not print it"),
    ("a context on two threads", _trace(("T1", WORKER, "a1"), ("T1", OTHER, "b1")), "did not print it"),
])
def test_a_trace_that_claims_what_was_not_seen_disagrees(name, trace, words):
    found = disagreements(HONEST, trace, 500, serial=True) + disagreements(HONEST, trace, 500, serial=False)
    assert found and all(words in f for f in found), (name, found)


def test_under_one_thread_at_a_time_the_order_of_a_process_lines_must_be_the_order_written():
    """Real threads printing their own lines one after another, while the trace says they took turns."""
    one_after_another = _seen((ROOT, "start"), (WORKER, "a1"), (WORKER, "a2"), (OTHER, "b1"), (ROOT, "done"))
    found = disagreements(one_after_another, HONEST_TRACE, 500, serial=True)
    assert found and "never written in that order" in found[0], found
    assert disagreements(one_after_another, HONEST_TRACE, 500, serial=False) == []  # threads run at once there


def test_a_partial_line_may_be_written_by_whoever_ends_the_run():
    seen = _seen((ROOT, "half a line"))
    assert disagreements(seen, _trace(("T1", ROOT, "half a line"), partial=True), 500, serial=True) == []


def test_a_reused_thread_id_may_carry_as_many_threads_as_it_was_made():
    seen = _seen((WORKER, "a1"), (WORKER, "b1"), born={WORKER: 2})
    assert disagreements(seen, _trace(("T1", WORKER, "a1"), ("T2", WORKER, "b1")), 500, serial=True) == []


def test_lines_are_compared_on_what_the_judge_reads_of_them():
    long = "x" * 800
    seen = _seen((ROOT, long[:500]))
    cut = long[:500] + "… [cut by the grader: 300 more characters]"
    assert disagreements(seen, _trace(("main", ROOT, cut)), 500, serial=True) == []
    assert disagreements(seen, _trace(("main", ROOT, "y" * 500)), 500, serial=True)


def test_a_forked_copy_may_hold_what_its_parent_printed_before_it():
    seen = _seen((ROOT, "imported"), (OTHER, "copy's own"), process={ROOT: ROOT, OTHER: OTHER}, born={OTHER: 1})
    seen.parent[OTHER] = ROOT
    trace = _trace(("main", ROOT, "imported"), ("main", OTHER, "copy's own"), threads=(), pid=OTHER)
    assert disagreements(seen, trace, 500, serial=True) == []
    sibling = _trace(("main", ROOT, "imported"), ("main", OTHER, "copy's own"), threads=(), pid=OTHER)
    seen.parent.pop(OTHER)
    assert disagreements(seen, sibling, 500, serial=True)


def test_when_the_observer_stopped_recording_later_lines_are_unchecked_not_guilty():
    seen = _seen((ROOT, "start"), full=True)
    assert disagreements(seen, _trace(("main", ROOT, "start"), ("main", ROOT, "after the cap")), 500,
                         serial=True) == []


def test_nothing_is_checked_where_nothing_could_be_observed():
    assert disagreements(Observation(root=None, why="ptrace: Operation not permitted"), HONEST_TRACE, 500,
                         serial=True) == []


def test_once_a_stream_reached_the_file_size_limit_lines_that_do_not_match_are_unchecked():
    """A write cut short at the limit and tried again is seen twice (the observer sees what a write asks)."""
    seen = _seen((ROOT, "x" * 100), (ROOT, "x" * 40))
    seen.written = {"out": 1024}
    trace = _trace(("main", ROOT, "x" * 100), ("main", ROOT, "x" * 60))
    assert disagreements(seen, trace, 500, serial=True, file_bytes=1024) == []
    assert disagreements(seen, trace, 500, serial=True, file_bytes=4096)


def test_more_threads_at_work_than_were_ever_made_disagree():
    """A thread with events of its own is an OS thread the observer saw made; a start that failed has none."""
    events = [{"e": "spawn", "id": f"T{i}", "kind": "thread"} for i in range(3)]
    working = events + [{"e": "end", "id": f"T{i}"} for i in range(3)]
    found = disagreements(HONEST, {ROOT: working}, 500, serial=True)
    assert found and "3 threads at work, but only 2" in found[0], found
    failed_start = events + [{"e": "end", "id": f"T{i}"} for i in range(2)]
    assert disagreements(HONEST, {ROOT: failed_start}, 500, serial=True) == []


@PTRACE
@pytest.mark.skipif(os.geteuid() != 0, reason="grading as root (the limits level needs --unsafe there)")
def test_an_observer_killed_from_outside_makes_the_run_not_gradable(tmp_path):
    """Sentence: a run whose observer was killed before the run ended (by an operator, the OOM killer) has no
    facts from outside: it is "regrade", never a verdict (and its processes die with the observer)."""
    import textwrap
    import time
    from pathlib import Path

    from coursekit._judge import runner
    from coursekit._judge.sandbox import Sandbox
    from coursekit.registry import Limits

    marker = Path(f"/dev/shm/coursekit-lost-observer-{os.getpid()}")
    marker.unlink(missing_ok=True)
    module = tmp_path / "waits.py"
    module.write_text(textwrap.dedent(f"""
        import os, select
        def main():
            print("started", flush=True)
            with open({str(marker)!r}, "w") as f:
                f.write(str(os.getppid()))  # the harness's parent: its observer
            select.select([], [], [], 20)
    """))
    killer, killed = kill_when_named(marker)
    runner.use_sandbox(Sandbox(levels=("limits",), unsafe=True))
    started = time.monotonic()
    try:
        with pytest.raises(runner.InfrastructureError, match="observer of the run was killed"):
            runner.run(runner.RunSpec("threads", module, limits=Limits(wall_s=40.0, stall_s=30.0)))
    finally:
        runner.use_sandbox(None)
        killer.join()
        marker.unlink(missing_ok=True)
    assert killed
    assert time.monotonic() - started < 15, "the run outlived its observer"


def test_a_partial_line_drained_while_another_thread_prints_is_checked_in_its_own_order():
    """The run can end from a kit thread (a busy loop seen by the watchdog) while a worker still prints: the
    drained partial line and the worker's line may leave in either order."""
    seen = _seen((ROOT, "half"), (WORKER, "a1"))
    trace = _trace(("T1", WORKER, "a1"))
    trace[ROOT].append({"e": "line", "id": "main", "tid": ROOT, "text": "half", "stream": "out", "partial": True})
    assert disagreements(seen, trace, 500, serial=True) == []
