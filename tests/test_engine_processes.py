"""Engine tests for processes: Lamport stamps across queues and locks, the logical replay of shared values, pool
parallelism read from the program's structure, and the watchdog (busy loops, deadlocks)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from coursekit._engine.replay import replay
from coursekit._judge import runner
from coursekit._judge.timeline import build


def observe(tmp_path: Path, source: str, **limits):
    path = tmp_path / "prog.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return build(runner.run(runner.RunSpec("processes", path, limits=runner.Limits(**limits))))


def test_a_get_happens_no_earlier_than_its_put(tmp_path):
    tl = observe(tmp_path, """
        import multiprocessing, time
        def child(q):
            print(f"got {q.get()}")
        def main():
            q = multiprocessing.Queue()
            p = multiprocessing.Process(target=child, args=(q,))
            p.start()
            time.sleep(2)
            q.put("x")
            p.join()
    """)
    assert [(x.t, x.text) for x in tl.lines] == [(2.0, "got x")]


def test_lost_updates_are_found_by_replay_whatever_the_os_did(tmp_path):
    source = """
        import multiprocessing, time
        def inc(counter, lock, use):
            for _ in range(10):
                if use:
                    lock.acquire()
                v = counter.value
                time.sleep(0.001)
                counter.value = v + 1
                if use:
                    lock.release()
        def run(use):
            c, l = multiprocessing.Value("i", 0), multiprocessing.Lock()
            ps = [multiprocessing.Process(target=inc, args=(c, l, use)) for _ in range(2)]
            for p in ps: p.start()
            for p in ps: p.join()
            return c.value
        def main():
            return run(False), run(True)
    """
    results = {observe(tmp_path, source).result for _ in range(2)}
    assert results == {"(10, 20)"}  # both lose exactly half without the lock, every time


def test_replay_names_the_lost_update():
    events = [
        {"op": "init", "value": 0, "t": 0, "lc": 0, "id": "main"},
        {"op": "read", "value": 0, "t": 0, "lc": 1, "id": "a"},
        {"op": "read", "value": 0, "t": 0, "lc": 1, "id": "b"},
        {"op": "write", "value": 1, "t": 1, "lc": 2, "id": "a"},
        {"op": "write", "value": 1, "t": 1, "lc": 2, "id": "b"},
    ]
    result = replay(events)
    assert result.value == 1 and len(result.lost) == 1 and result.lost[0].writer == "b"


def test_a_busy_child_is_stopped_by_cpu_time_not_by_the_wall_clock(tmp_path):
    tl = observe(tmp_path, """
        import multiprocessing
        def spin():
            while True:
                pass
        def main():
            p = multiprocessing.Process(target=spin)
            p.start()
            p.join()
    """, stall_s=1.0)
    assert any(p["kind"] == "stuck" for p in tl.problems)
    assert tl.status["wall_s"] < 25


def test_a_deadlock_between_processes_is_reported(tmp_path):
    tl = observe(tmp_path, """
        import multiprocessing
        def child(q):
            q.get()
        def main():
            q = multiprocessing.Queue()
            p = multiprocessing.Process(target=child, args=(q,))
            p.start()
            p.join()
    """, stall_s=1.0)
    assert any(p["kind"] == "deadlock" for p in tl.problems)
    assert tl.status["wall_s"] < 25


def test_an_acquire_happens_no_earlier_than_the_previous_release(tmp_path):
    tl = observe(tmp_path, """
        import multiprocessing, time
        def child(lock):
            with lock:
                print("child has the lock")
        def main():
            lock = multiprocessing.Lock()
            lock.acquire()
            p = multiprocessing.Process(target=child, args=(lock,))
            p.start()
            time.sleep(2)
            lock.release()
            p.join()
            print("joined")
    """)
    # (lines due at the same moment may be listed either way; their times are what the stamps decide)
    assert sorted((x.t, x.text) for x in tl.lines) == [(2.0, "child has the lock"), (2.0, "joined")]


def test_terminating_a_child_blocked_for_good_keeps_what_it_did_before(tmp_path):
    tl = observe(tmp_path, """
        import multiprocessing, time
        def child(q):
            time.sleep(1)
            print("before")
            q.get()
        def main():
            q = multiprocessing.Queue()
            p = multiprocessing.Process(target=child, args=(q,))
            p.start()
            time.sleep(3)
            p.terminate()
            p.join()
    """)
    assert [(x.t, x.text) for x in tl.lines] == [(1.0, "before")]
    assert tl.kills and tl.completed


def test_a_child_that_is_only_slow_in_real_time_is_not_alive_after_its_logical_end(tmp_path):
    # The child ends at 1 s of logical time but takes real time to get there (CPU work costs no logical time);
    # main returns at 2 s without joining.  Whether the child has *really* exited by then is the machine's
    # luck; on logical time it has ended, and the verdict must say so every time.
    source = """
        import multiprocessing, time
        def child():
            time.sleep(1)
            sum(i * i for i in range(3_000_000))  # real CPU work: no logical time, some real time
        def main():
            p = multiprocessing.Process(target=child)
            p.start()
            time.sleep(2)
            return p.is_alive()
    """
    for _ in range(2):
        tl = observe(tmp_path, source)
        assert tl.result == "False"
        assert tl.alive_at_return == []


def test_join_with_a_timeout_returns_once_the_child_is_past_the_deadline(tmp_path):
    # The child never ends (on logical time it sleeps forever); join(2.5) must return at 2.5 s as soon as the
    # child is seen past that moment, not wait for the child to end or for a real-time backstop.
    tl = observe(tmp_path, """
        import multiprocessing, time
        def child():
            while True:
                time.sleep(1)
        def main():
            p = multiprocessing.Process(target=child)
            p.start()
            p.join(2.5)
            print(f"alive: {p.is_alive()}")
            p.terminate()
            p.join()
    """)
    assert [(x.t, x.text) for x in tl.lines] == [(2.5, "alive: True")]
    assert tl.status["wall_s"] < 20


def test_a_child_that_calls_os_exit_ends_at_that_moment(tmp_path):
    tl = observe(tmp_path, """
        import multiprocessing, os, time
        def child():
            time.sleep(1)
            print("x")
            time.sleep(1)
            os._exit(3)
        def main():
            p = multiprocessing.Process(target=child)
            p.start()
            p.join()
            print(f"joined, exit code {p.exitcode}")
    """)
    assert [(x.t, x.text) for x in tl.lines] == [(1.0, "x"), (2.0, "joined, exit code 3")]


def _work_calls(tmp_path: Path, source: str, work: tuple[str, ...]) -> list[tuple[str, str]]:
    from coursekit.checks._calls import work_calls

    path = tmp_path / "prog.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    tl = build(runner.run(runner.RunSpec("processes", path, work=work)))
    return sorted((c.args, "main" if c.ctx == "main" else "worker") for c in work_calls(tl))


def test_work_is_recorded_in_children_of_every_start_method(tmp_path):
    # A spawned or fork-server child imports the module afresh: the work must be wrapped there too.
    for method in ("fork", "spawn", "forkserver"):
        calls = _work_calls(tmp_path, f"""
            import multiprocessing, time
            def square(n):
                time.sleep(0.5)
                return n * n
            def worker(n, q):
                q.put(square(n))
            def main():
                ctx = multiprocessing.get_context("{method}")
                q = ctx.Queue()
                ps = [ctx.Process(target=worker, args=(n, q)) for n in (2, 3)]
                for p in ps: p.start()
                print(sorted(q.get() for _ in ps))
                for p in ps: p.join()
                with ctx.Pool(2) as pool:
                    print(pool.map(square, [4, 5]))
        """, ("square",))
        assert calls == [("2", "worker"), ("3", "worker"), ("4", "worker"), ("5", "worker")], method


def test_work_done_by_main_is_recorded_as_main(tmp_path):
    calls = _work_calls(tmp_path, """
        import multiprocessing
        def square(n):
            return n * n
        def main():
            ctx = multiprocessing.get_context("spawn")
            p = ctx.Process(target=print, args=("idle",))
            p.start(); p.join()
            print([square(n) for n in (1, 2)])
    """, ("square",))
    assert calls == [("1", "main"), ("2", "main")]
