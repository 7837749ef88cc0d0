"""Engine tests for processes: Lamport stamps across queues and locks, the logical replay of shared values, pool
parallelism read from the program's structure, and the watchdog (busy loops, deadlocks)."""

from __future__ import annotations

import os
import subprocess
import sys
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


# -- queue-fed workers take items in logical-time order (the arbiter) --------------------------------------------
SHARED_QUEUE_WORKERS = """
    import multiprocessing, queue, time
    def worker(q, name):
        while True:
            {take}
            time.sleep(0.5)
            print(f"{{name}} did {{n}}")
    def main():
        q = multiprocessing.Queue()
        ps = [multiprocessing.Process(target=worker, args=(q, f"w{{i}}")) for i in range(3)]
        {before}
        for p in ps: p.start()
        {after}
        for p in ps: p.join()
        print("done")
"""


def _shared_queue_lines(tmp_path: Path, take: str, before: str = "pass",
                        after: str = "pass") -> list[tuple[float, str]]:
    tl = observe(tmp_path, SHARED_QUEUE_WORKERS.format(take=take, before=before, after=after))
    assert not tl.problems, tl.problems
    return sorted((x.t, x.text) for x in tl.lines)


def test_workers_on_one_queue_take_items_in_logical_time_order(tmp_path):
    # A sleep costs no real time, so the first worker to start used to drain the queue (4 of 6 items, 2 s); on
    # logical time each worker takes the next item when it asks, earliest clock first: two each, 1 s in all.
    take = "n = q.get()\n            if n is None: return"
    puts = "for n in range(6): q.put(n)\n        for p in ps: q.put(None)"
    expected = [(0.5, "w0 did 0"), (0.5, "w1 did 1"), (0.5, "w2 did 2"),
                (1.0, "done"), (1.0, "w0 did 3"), (1.0, "w1 did 4"), (1.0, "w2 did 5")]
    for _ in range(2):
        assert _shared_queue_lines(tmp_path, take, after=puts) == expected


def test_get_nowait_sees_what_logical_time_says_is_there(tmp_path):
    # Workers that stop on Empty: an item put before they asked is there on logical time, whether or not the
    # queue's feeder thread has delivered it yet; so each worker takes two items, on every run.
    take = "try:\n                n = q.get_nowait()\n            except queue.Empty:\n                return"
    puts = "for n in range(6): q.put(n)"
    expected = [(0.5, "w0 did 0"), (0.5, "w1 did 1"), (0.5, "w2 did 2"),
                (1.0, "done"), (1.0, "w0 did 3"), (1.0, "w1 did 4"), (1.0, "w2 did 5")]
    for _ in range(2):
        assert _shared_queue_lines(tmp_path, take, before=puts) == expected
        assert _shared_queue_lines(tmp_path, take, after=puts) == expected


def test_empty_is_decided_on_logical_time(tmp_path):
    take = "if q.empty(): return\n            n = q.get()"
    puts = "for n in range(6): q.put(n)"
    expected = [(0.5, "w0 did 0"), (0.5, "w1 did 1"), (0.5, "w2 did 2"),
                (1.0, "done"), (1.0, "w0 did 3"), (1.0, "w1 did 4"), (1.0, "w2 did 5")]
    assert _shared_queue_lines(tmp_path, take, after=puts) == expected


def test_a_deadlock_the_board_shows_is_told_without_waiting_out_the_stall_time(tmp_path):
    # Every thread of the tree waits for what no thread will do (main joins a child that waits on an empty
    # queue; a second child waits for an event nobody sets): the arbiter's board says so, and a short stillness
    # confirms it.  With a stall time far beyond the wall-clock limit, waiting it out would end in a time-out.
    tl = observe(tmp_path, """
        import multiprocessing
        def child(q):
            q.get()
        def other(e):
            e.wait()
        def main():
            q, e = multiprocessing.Queue(), multiprocessing.Event()
            ps = [multiprocessing.Process(target=child, args=(q,)), multiprocessing.Process(target=other, args=(e,))]
            for p in ps:
                p.start()
            for p in ps:
                p.join()
    """, stall_s=600.0, wall_s=40.0)
    assert not tl.status["timed_out"]
    assert [p["kind"] for p in tl.problems] == ["deadlock"]


def test_a_child_out_in_a_call_the_board_does_not_see_is_not_a_deadlock_yet(tmp_path):
    # The child waits in a real select() (not on the board: it is running, for the arbiter): the tree is still,
    # yet the board does not show a deadlock, so the watchdog waits out the stall time, and the child's wait
    # ends before that (1 s real): no deadlock is reported, and main's join returns.
    tl = observe(tmp_path, """
        import multiprocessing, select
        def child():
            select.select([], [], [], 1.0)
            print("back")
        def main():
            p = multiprocessing.Process(target=child)
            p.start()
            p.join()
            print("joined")
    """, stall_s=8.0)
    assert not tl.problems
    assert [x.text for x in tl.lines] == ["back", "joined"]


def test_a_worker_left_waiting_on_a_queue_is_still_a_deadlock(tmp_path):
    # One sentinel for two workers: one of them waits forever on the queue, and main in join().  The arbiter
    # must not hide that behind its own waiting: it is reported as a deadlock, within the stall time.
    tl = observe(tmp_path, SHARED_QUEUE_WORKERS.format(
        take="n = q.get()\n            if n is None: return", before="pass",
        after="for n in range(4): q.put(n)\n        q.put(None)"), stall_s=1.0)
    assert any(p["kind"] == "deadlock" for p in tl.problems)
    assert sorted((x.t, x.text) for x in tl.lines)[:3] == [(0.5, "w0 did 0"), (0.5, "w1 did 1"), (0.5, "w2 did 2")]
    assert tl.status["wall_s"] < 15


def test_the_watchdog_reads_the_runs_processes_only_however_many_the_machine_has(tmp_path):
    # The tree used to be found from the parent pid of every process on the machine, several times a second: with
    # a few hundred processes outside the run, that reading cost more CPU than a still tree may use, so a
    # deadlock was reported as a busy loop.  Now the run keeps a list of its own processes (forked, spawned, and
    # the spawn helpers): with 200 unrelated processes about, the watchdog reads the stat files of the run's
    # processes only, and finds each of them.
    others = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) for _ in range(200)]
    try:
        tl = observe(tmp_path, """
            import multiprocessing, os
            from coursekit._engine import real
            from coursekit._engine.processes import watchdog
            def child(q):
                q.get()
            def main():
                ctx = multiprocessing.get_context("spawn")
                qs = [multiprocessing.Queue(), ctx.Queue()]
                ps = [multiprocessing.Process(target=child, args=(qs[0],)), ctx.Process(target=child, args=(qs[1],))]
                for p in ps:
                    p.start()
                read = []
                real_read = real.read_file  # (the engine reads small files through it, not through open())
                def counting_read(path):
                    if str(path).startswith("/proc/") and str(path).endswith("/stat"):
                        read.append(str(path))
                    return real_read(path)
                real.read_file = counting_read
                try:
                    tree, _ = watchdog._process_tree()
                finally:
                    real.read_file = real_read
                print("run's processes found:", {os.getpid(), *(p.pid for p in ps)} <= tree)
                print("stat files read beyond the run's:", len(read) - len(tree))
                for q in qs:
                    q.put(None)
                for p in ps:
                    p.join()
        """)
    finally:
        for other in others:
            other.kill()
            other.wait()
    assert not tl.problems, (tl.problems, tl.lines, tl.crashes)
    texts = [x.text for x in tl.lines]
    assert texts[0] == "run's processes found: True"
    beyond = int(texts[1].rsplit(" ", 1)[1])
    assert 0 <= beyond <= 1, texts  # (the spawn children's resource tracker is the run's too, and may be listed)


def test_wall_clocks_follow_logical_time_and_sleep_pickles(tmp_path):
    # datetime.now() and time.strftime() read the system clock in C; in every process of the tree they follow
    # the logical clock.  time.sleep itself goes to a pool worker by reference, as the real one does.
    tl = observe(tmp_path, """
        import datetime, multiprocessing, time
        def child():
            a, s = datetime.datetime.now(), time.localtime()
            time.sleep(2)
            b = datetime.datetime.now()
            print(f"child waited {(b - a).total_seconds():.1f} s")
            print(f"struct moved {time.mktime(time.localtime()) - time.mktime(s):.0f} s")
        def main():
            t0 = datetime.datetime.now()
            with multiprocessing.Pool(2) as pool:
                pool.apply_async(time.sleep, (0.5,)).get()
                pool.map(time.sleep, [0.25, 0.25, 0.25])  # (the function itself as the work: 0.5 s on two workers)
            for method in ("fork", "spawn"):
                p = multiprocessing.get_context(method).Process(target=child)
                p.start(); p.join()
            print(f"main took {(datetime.datetime.now() - t0).total_seconds():.1f} s")
    """)
    assert not tl.problems and not tl.crashes
    assert sorted((x.t, x.text) for x in tl.lines) == [
        (3.0, "child waited 2.0 s"), (3.0, "struct moved 2 s"), (5.0, "child waited 2.0 s"), (5.0, "main took 5.0 s"),
        (5.0, "struct moved 2 s")]


def test_a_timeout_on_a_pool_call_is_counted_on_logical_time(tmp_path):
    # The call sleeps 1 s, which costs no real time: a real timeout of 0.5 s never expired, and the result came
    # at 1 s.  The real program gives up at 0.5 s; so must the observed one, for futures and for AsyncResult.
    tl = observe(tmp_path, """
        import concurrent.futures, multiprocessing, time
        def slow(x):
            time.sleep(1)
            return x
        def main():
            with concurrent.futures.ProcessPoolExecutor(2) as ex:
                f = ex.submit(slow, 1)
                try:
                    print("got", f.result(timeout=0.5))
                except concurrent.futures.TimeoutError:
                    print("gave up")
                print("then", f.result(timeout=5))
            with multiprocessing.Pool(2) as pool:
                r = pool.apply_async(slow, (2,))
                try:
                    print("got", r.get(timeout=0.25))
                except multiprocessing.TimeoutError:
                    print("gave up")
                r.wait(0.25)
                print("ready", r.ready())
                print("then", r.get(timeout=5))
    """)
    assert [(x.t, x.text) for x in tl.lines] == [
        (0.5, "gave up"), (1.0, "then 1"), (1.25, "gave up"), (1.5, "ready False"), (2.0, "then 2")]


def test_events_barriers_conditions_and_semaphores_carry_logical_time(tmp_path):
    # Children woken by an event set at 2.1 s go on at 2.1 s (they printed at 0.1 s); a barrier lets every party
    # through when the last arrives (main waited 9.57 s and printed at 0 s); a notify reaches a waiter that was
    # logically waiting already, even if it came first in real time; an acquire happens after its release.
    source = """
        import multiprocessing, time
        def waiter(ev, name):
            time.sleep(0.1)
            ev.wait()
            print(f"{name} woken")
        def party(b, d):
            time.sleep(d)
            b.wait()
            print(f"party {d} through")
        def cwaiter(c):
            with c:
                c.wait()
            print("cond woken")
        def semw(s):
            s.acquire()
            print("sem acquired")
        def main():
            ev = multiprocessing.Event()
            ps = [multiprocessing.Process(target=waiter, args=(ev, f"w{i}")) for i in range(2)]
            for p in ps: p.start()
            time.sleep(2.1); ev.set()
            for p in ps: p.join()
            b = multiprocessing.Barrier(3)
            ps = [multiprocessing.Process(target=party, args=(b, d)) for d in (1, 3)]
            for p in ps: p.start()
            time.sleep(9.57); b.wait(); print("main through")
            for p in ps: p.join()
            c = multiprocessing.Condition()
            p = multiprocessing.Process(target=cwaiter, args=(c,)); p.start()
            time.sleep(1)
            while True:
                with c:
                    c.notify_all()
                p.join(0.5)
                if not p.is_alive(): break
            s = multiprocessing.Semaphore(0)
            p = multiprocessing.Process(target=semw, args=(s,)); p.start()
            time.sleep(1); s.release(); p.join()
            print("end")
    """
    for _ in range(2):
        tl = observe(tmp_path, source)
        assert not tl.problems and not tl.crashes
        assert sorted((x.t, x.text) for x in tl.lines) == [
            (2.1, "w0 woken"), (2.1, "w1 woken"), (11.67, "main through"), (11.67, "party 1 through"),
            (11.67, "party 3 through"), (12.67, "cond woken"), (13.67, "end"), (13.67, "sem acquired")]


def test_timeouts_in_processes_are_counted_on_logical_time(tmp_path):
    # What another process sends before the deadline on logical time is got, however late it comes in real
    # time (a get, an acquire, an event wait and a wait_for decided at once, from what was there already); what
    # comes after it times out at the deadline (an event wait timed out on the real clock, at 0 s).
    source = """
        import multiprocessing, queue, time
        def sender(q, sem, ev, cond, flag):
            time.sleep(0.3); q.put("x")
            time.sleep(0.3); sem.release()
            time.sleep(0.9); ev.set()
            time.sleep(1.0)
            with cond:
                flag.value = 1
                cond.notify_all()
        def main():
            q, sem, ev = multiprocessing.Queue(), multiprocessing.Semaphore(0), multiprocessing.Event()
            cond, flag = multiprocessing.Condition(), multiprocessing.Value("i", 0)
            p = multiprocessing.Process(target=sender, args=(q, sem, ev, cond, flag))
            p.start()
            print("get", q.get(timeout=1))
            print("acquire", sem.acquire(timeout=1))
            print("acquire", sem.acquire(timeout=0.2))
            try:
                q.get(timeout=0.3)
            except queue.Empty:
                print("empty")
            print("wait", ev.wait(0.1))
            print("wait", ev.wait(1))
            with cond:
                print("wait_for", cond.wait_for(lambda: flag.value == 1, 0.5))
                print("wait_for", cond.wait_for(lambda: flag.value == 1, 2))
            p.join()
    """
    tl = observe(tmp_path, source)
    assert not tl.problems and not tl.crashes
    assert [(x.t, x.text) for x in tl.lines] == [
        (0.3, "get x"), (0.6, "acquire True"), (0.8, "acquire False"), (1.1, "empty"), (1.2, "wait False"),
        (1.5, "wait True"), (2.0, "wait_for False"), (2.5, "wait_for True")]


def test_a_pipes_poll_is_decided_on_logical_time_in_each_direction(tmp_path):
    # poll(1) said True at 0 s for a message sent at 0.5 s, and poll(0.2) saw one sent at 1.5 s.
    tl = observe(tmp_path, """
        import multiprocessing, time
        def child(conn):
            print("asked", conn.recv())
            time.sleep(0.5); conn.send("hello")
            time.sleep(1.0); conn.send("late")
        def main():
            a, b = multiprocessing.Pipe()
            p = multiprocessing.Process(target=child, args=(b,))
            p.start()
            a.send("hi")
            print("poll", a.poll(1))
            print("recv", a.recv())
            print("poll", a.poll(0.2))
            print("poll", a.poll(None))
            print("recv", a.recv())
            p.join()
    """)
    assert [(x.t, x.text) for x in tl.lines] == [
        (0.0, "asked hi"), (0.5, "poll True"), (0.5, "recv hello"), (0.7, "poll False"), (1.5, "poll True"),
        (1.5, "recv late")]


def test_a_barrier_with_a_timeout_breaks_at_its_deadline_for_every_party(tmp_path):
    tl = observe(tmp_path, """
        import multiprocessing, threading, time
        def party(b, n):
            time.sleep(0.2 * n)
            try:
                b.wait()
            except threading.BrokenBarrierError:
                print(f"party {n} broken")
        def main():
            b = multiprocessing.Barrier(4)
            ps = [multiprocessing.Process(target=party, args=(b, n)) for n in (1, 2)]
            for p in ps: p.start()
            try:
                b.wait(timeout=0.7)
            except threading.BrokenBarrierError:
                print("main broken")
            for p in ps: p.join()
    """)
    assert sorted((x.t, x.text) for x in tl.lines) == [
        (0.7, "main broken"), (0.7, "party 1 broken"), (0.7, "party 2 broken")]


def test_at_one_instant_the_process_that_was_woken_goes_on_after_its_waker(tmp_path):
    # The setter's line, printed right after set(), and the worker's, printed just before its last task_done(),
    # come before the lines of the processes they woke at that instant (by process, main's came first).
    tl = observe(tmp_path, """
        import multiprocessing, time
        def setter(ev):
            time.sleep(1)
            ev.set()
            print("set")
        def worker(q):
            while True:
                n = q.get()
                time.sleep(n)
                print(f"worked {n}")
                q.task_done()
        def main():
            ev = multiprocessing.Event()
            p = multiprocessing.Process(target=setter, args=(ev,))
            p.start()
            ev.wait()
            print("woken")
            p.join()
            q = multiprocessing.JoinableQueue()
            multiprocessing.Process(target=worker, args=(q,), daemon=True).start()
            q.put(0.5)
            q.join()
            print("all done")
    """)
    assert [(x.t, x.text) for x in tl.lines] == [
        (1.0, "set"), (1.0, "woken"), (1.5, "worked 0.5"), (1.5, "all done")]


def test_lines_printed_in_pool_calls_are_placed_on_the_pool_schedule(tmp_path):
    # Four calls of 1 s on two workers: the third and fourth start at 1 s, so what they print comes at 2 s
    # (it came at 1 s, the call's own relative time, for every call).
    tl = observe(tmp_path, """
        import concurrent.futures, multiprocessing, time
        def work(n):
            time.sleep(1)
            print(f"call {n} done")
            return n
        def main():
            with multiprocessing.Pool(2) as pool:
                print(pool.map(work, range(4), chunksize=1))
            with concurrent.futures.ProcessPoolExecutor(2) as ex:
                print(list(ex.map(work, range(4, 8))))
    """)
    assert sorted((x.t, x.text) for x in tl.lines) == [
        (1.0, "call 0 done"), (1.0, "call 1 done"), (2.0, "[0, 1, 2, 3]"), (2.0, "call 2 done"), (2.0, "call 3 done"),
        (3.0, "call 4 done"), (3.0, "call 5 done"), (4.0, "[4, 5, 6, 7]"), (4.0, "call 6 done"), (4.0, "call 7 done")]


def test_a_joinable_queue_join_returns_when_the_last_task_is_done(tmp_path):
    # Daemon workers, no sentinels: main's q.join() returns at the last task_done() (1 s), not at once.
    tl = observe(tmp_path, """
        import multiprocessing, time
        def worker(q):
            while True:
                n = q.get()
                time.sleep(0.5)
                print(f"did {n}")
                q.task_done()
        def main():
            q = multiprocessing.JoinableQueue()
            ps = [multiprocessing.Process(target=worker, args=(q,), daemon=True) for _ in range(3)]
            for p in ps: p.start()
            for n in range(6): q.put(n)
            q.join()
            print("all done")
    """)
    assert sorted((x.t, x.text) for x in tl.lines) == [
        (0.5, "did 0"), (0.5, "did 1"), (0.5, "did 2"), (1.0, "all done"), (1.0, "did 3"), (1.0, "did 4"),
        (1.0, "did 5")]


def test_a_managers_objects_take_calls_in_logical_time_order(tmp_path):
    # A manager.list()'s appends came in real order (the children's sleeps cost no real time), and an Event
    # proxy's waiters woke at their own time; on logical time the appends come by the appenders' clocks and
    # the waiters wake when the event is set.
    source = """
        import multiprocessing, time
        def record(log, i):
            time.sleep(0.4 * i)
            log.append(i)
        def waiter(ev, name):
            time.sleep(0.1)
            ev.wait()
            print(f"{name} woken")
        def main():
            with multiprocessing.Manager() as manager:
                log = manager.list()
                procs = [multiprocessing.Process(target=record, args=(log, i)) for i in (2, 1, 3)]
                for p in procs: p.start()
                for p in procs: p.join()
                print(list(log))
                ev = manager.Event()
                procs = [multiprocessing.Process(target=waiter, args=(ev, f"w{i}")) for i in range(2)]
                for p in procs: p.start()
                time.sleep(2.1); ev.set()
                for p in procs: p.join()
    """
    for _ in range(2):
        tl = observe(tmp_path, source)
        assert sorted((x.t, x.text) for x in tl.lines) == [(1.2, "[1, 2, 3]"), (3.3, "w0 woken"), (3.3, "w1 woken")]


def test_a_value_dropped_while_unjoined_children_write_it_never_leaks_into_the_next_one(tmp_path):
    # For real, multiprocessing gives the dropped value's memory to the next value made, so the second read
    # below depends on how far the first run's children got (0, 1, 2, ... from one run to the next).
    source = """
        import multiprocessing, time
        def inc(counter, lock):
            for _ in range(20):
                with lock:
                    v = counter.value
                    time.sleep(0.001)
                    counter.value = v + 1
        def run(n):
            c, l = multiprocessing.Value("i", 0), multiprocessing.Lock()
            for _ in range(n):
                multiprocessing.Process(target=inc, args=(c, l)).start()
            return c.value
        def main():
            return [run(n) for n in (2, 0, 0, 1)]
    """
    results = {observe(tmp_path, source).result for _ in range(3)}
    assert results == {"[0, 0, 0, 0]"}


def test_what_a_pool_terminate_cuts_off_is_decided_on_logical_time(tmp_path):
    # Leaving `with Pool()` terminates it.  A call still running then never returns its result, however fast
    # the machine ran it; one that ended earlier (or whose result the program already saw) keeps it.
    source = """
        import multiprocessing, time
        def cpu(n):
            return sum(range(n))
        def nap(n):
            time.sleep(1)
            return n
        def attempt(make):
            try:
                return make()
            except multiprocessing.TimeoutError:
                return "timeout"
        def cut():
            with multiprocessing.Pool(2) as pool:
                pending = pool.map_async(cpu, [10, 20000])
            return pending.get(timeout=0)
        def seen():
            with multiprocessing.Pool(2) as pool:
                pending = pool.map_async(cpu, [10, 20000])
                pending.wait()
            return pending.get(timeout=0)
        def ended_before():
            with multiprocessing.Pool(2) as pool:
                pending = pool.map_async(nap, [1, 2])
                time.sleep(2)
            return pending.ready(), pending.get(timeout=0)
        def main():
            return [attempt(f) for f in (cut, seen, ended_before)]
    """
    results = {observe(tmp_path, source).result for _ in range(3)}
    assert results == {"['timeout', [45, 199990000], (True, [1, 2])]"}


def test_apply_async_callbacks_run_at_their_calls_end_in_that_order(tmp_path):
    source = """
        import time
        from multiprocessing import Pool
        def nap(seconds):
            time.sleep(seconds)
            if seconds == 0.2:
                raise ValueError("no")
            return seconds
        def main():
            with Pool(2) as pool:
                pending = [pool.apply_async(nap, (s,), callback=lambda v: print("done", v),
                                            error_callback=lambda e: print("failed", e)) for s in (0.5, 0.2, 0.1)]
                for p in pending:
                    p.wait()
    """
    seen = {tuple((x.t, x.text) for x in observe(tmp_path, source).lines) for _ in range(3)}
    # two workers: 0.5 s and 0.2 s start at 0; the 0.1 s call starts when the 0.2 s one ends
    assert seen == {((0.2, "failed no"), (0.3, "done 0.1"), (0.5, "done 0.5"))}


def test_the_boards_raw_reads_and_writes_give_whole_files(tmp_path):
    # The engine reads its board through real.read_file (no file objects: a third of the system calls): a file
    # larger than one read, an empty one and a /proc stat file come back whole; a replacement is seen whole.
    from coursekit._engine import real

    big = tmp_path / "big"
    big.write_bytes(bytes(range(256)) * 1000)  # 256,000 bytes: four reads and more
    assert real.read_file(str(big)) == big.read_bytes()
    (tmp_path / "empty").write_bytes(b"")
    assert real.read_file(str(tmp_path / "empty")) == b""
    assert real.read_file(f"/proc/{os.getpid()}/stat").startswith(f"{os.getpid()} (".encode())
    assert real.read_end(str(big), 10) == big.read_bytes()[-10:]
    assert real.read_end(str(tmp_path / "empty"), 10) == b""
    target = tmp_path / "status.st"
    real.replace_file(str(target), b'{"st": "run"}', str(tmp_path / "status.st.tmp"))
    real.replace_file(str(target), b'{"st": "end"}', str(tmp_path / "status.st.tmp"))
    assert target.read_bytes() == b'{"st": "end"}' and not (tmp_path / "status.st.tmp").exists()
    assert target.stat().st_mode & 0o077 == 0  # the run's own: no other user reads its board
    try:
        real.read_file(str(tmp_path / "missing"))
    except FileNotFoundError:
        pass
    else:
        raise AssertionError("a missing file must raise OSError, as open() did")
