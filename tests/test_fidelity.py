"""Fidelity: small programs of the kind students and instructors write, run under the kit and compared with what
Python does for real.

Two parts.  The cases written out below are the ones each engine change of issue 16 was made for (wall clocks,
pickling the replaced functions, ties between a long sleep and a chain of short ones, ``as_completed`` and
``wait`` over sets, ``ThreadPool``, whose handler thread waits in a real ``select``): their golden lines are a
real run's output, each time rounded to 0.1 s, and the kit must print exactly those.

The suite (``tests/fidelity/<model>/*.py``, docs-like examples of every primitive of the three models) has a
golden file per program, recorded from real runs by ``benchmarks/fidelity.py --record`` (real seconds since
``main()`` began, and how ``main()`` ended).  Each test runs one program under the kit only (virtual time: no
real waiting here) and asks for the same lines in the same order, each within 0.1 s or 10 % of its real time,
and the same ending (``tests/fidelity/suite.py``).  Where the kit is known to differ, the test is an expected
failure whose reason names the cause; a strict one turns red the day the cause is fixed, so that the mark goes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from fidelity import suite

from coursekit._judge import runner
from coursekit._judge.timeline import build


def under_kit(tmp_path: Path, model: str, source: str, tie: str = "fifo") -> list[tuple[float, str]]:
    path = tmp_path / "prog.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    tl = build(runner.run(runner.RunSpec(model, path, tie=tie)))
    assert not tl.crashes, tl.crashes
    return [(round(x.t, 1), x.text) for x in tl.lines]


WALL_THREADS = """\
    import threading
    import time
    from datetime import date, datetime


    def worker(name, delay):
        start = datetime.now()
        time.sleep(delay)
        took = (datetime.now() - start).total_seconds()
        print(f"{name} took {took:.1f} s")


    def main():
        t0, s0 = datetime.now(), time.time()
        threads = [threading.Thread(target=worker, args=(f"w{i}", 0.5 * (i + 1))) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print("total", round((datetime.now() - t0).total_seconds(), 1))
        print("localtime follows time()", abs(time.mktime(time.localtime()) - int(time.time())) <= 1)
        print("ctime follows time()", time.ctime() == time.ctime(time.time()))
        print("strftime follows time()",
              time.strftime("%H:%M:%S") == time.strftime("%H:%M:%S", time.localtime(time.time())))
        print("gmtime follows time()", time.gmtime()[:6] == time.gmtime(time.time())[:6])
        print("today", date.today() == date.fromtimestamp(time.time()), datetime.today().date() == date.today())
        now = datetime.now().astimezone()
        print("utc", abs((now - datetime.fromtimestamp(time.time()).astimezone()).total_seconds()) < 0.01)
        print("elapsed matches time()", round(time.time() - s0, 1))
        print(isinstance(t0, datetime), isinstance(date.today(), date), type(datetime(2024, 1, 2)).__name__,
              repr(date(2024, 5, 6)))
"""
WALL_THREADS_REAL = [
    (0.5, "w0 took 0.5 s"), (1.0, "w1 took 1.0 s"), (1.5, "w2 took 1.5 s"), (1.5, "total 1.5"),
    (1.5, "localtime follows time() True"), (1.5, "ctime follows time() True"),
    (1.5, "strftime follows time() True"), (1.5, "gmtime follows time() True"), (1.5, "today True True"),
    (1.5, "utc True"), (1.5, "elapsed matches time() 1.5"),
    (1.5, "True True datetime datetime.date(2024, 5, 6)"),
]

WALL_ASYNC = """\
    import asyncio
    import time
    from datetime import datetime


    async def fetch(name, delay):
        await asyncio.sleep(delay)
        print(time.strftime("%Y") == datetime.now().strftime("%Y"), name,
              f"{(datetime.now() - START).total_seconds():.1f}")


    async def main():
        global START
        START = datetime.now()
        await asyncio.gather(fetch("a", 1.2), fetch("b", 0.4), fetch("c", 0.8))
        print("all done after", round((datetime.now() - START).total_seconds(), 1),
              time.localtime().tm_year == datetime.now().year)
"""
WALL_ASYNC_REAL = [
    (0.4, "True b 0.4"), (0.8, "True c 0.8"), (1.2, "True a 1.2"), (1.2, "all done after 1.2 True"),
]

PICKLED = """\
    import pickle
    import time
    from concurrent.futures import ThreadPoolExecutor
    from datetime import datetime


    def main():
        for fn in (time.sleep, time.time, time.monotonic, time.perf_counter, time.localtime, time.strftime):
            print(fn.__name__, pickle.loads(pickle.dumps(fn)) is fn)
        print("datetime", pickle.loads(pickle.dumps(datetime(2024, 1, 2, 3, 4))) == datetime(2024, 1, 2, 3, 4))
        with ThreadPoolExecutor(max_workers=2) as executor:
            futures = [executor.submit(time.sleep, 1), executor.submit(time.sleep, 0.5)]
            print([f.result() for f in futures])
        print("slept")
"""
PICKLED_REAL = [
    (0.0, "sleep True"), (0.0, "time True"), (0.0, "monotonic True"), (0.0, "perf_counter True"),
    (0.0, "localtime True"), (0.0, "strftime True"), (0.0, "datetime True"), (1.0, "[None, None]"), (1.0, "slept"),
]

TIES_THREADS = """\
    import threading
    import time


    def long_one():
        time.sleep(2)
        print("long sleep over")


    def chain():
        for i in range(4):
            time.sleep(0.5)
            print("short", i)


    def main():
        a = threading.Thread(target=long_one)
        b = threading.Thread(target=chain)
        a.start()
        b.start()
        a.join()
        b.join()
"""
TIES_THREADS_REAL = [
    (0.5, "short 0"), (1.0, "short 1"), (1.5, "short 2"), (2.0, "long sleep over"), (2.0, "short 3"),
]

TIES_ASYNC = """\
    import asyncio


    async def long_one():
        await asyncio.sleep(2)
        print("long sleep over")


    async def chain():
        for i in range(4):
            await asyncio.sleep(0.5)
            print("short", i)


    async def ticker(i):
        await asyncio.sleep(1)
        print("tick", i)


    async def main():
        await asyncio.gather(chain(), long_one(), *(ticker(i) for i in range(9)))
"""
TIES_ASYNC_REAL = [
    (0.5, "short 0"), *((1.0, f"tick {i}") for i in range(9)), (1.0, "short 1"), (1.5, "short 2"),
    (2.0, "long sleep over"), (2.0, "short 3"),
]

AS_COMPLETED = """\
    import asyncio


    async def job(i, delay):
        await asyncio.sleep(delay)
        return f"job {i}"


    async def main():
        for fut in asyncio.as_completed({job(i, 0.3 * (3 - i)) for i in range(3)}):
            print(await fut)
        tasks = [asyncio.create_task(job(i, 0.5)) for i in range(5)]
        done, pending = await asyncio.wait(set(tasks))
        print(sorted(t.result() for t in done), len(pending))
"""
AS_COMPLETED_REAL = [
    (0.3, "job 2"), (0.6, "job 1"), (0.9, "job 0"), (1.4, "['job 0', 'job 1', 'job 2', 'job 3', 'job 4'] 0"),
]

THREAD_POOL = """\
    import time
    from multiprocessing.pool import ThreadPool
    def work(i):
        time.sleep(0.1 * i)
        print("done", i)
        return i * i
    def main():
        with ThreadPool(3) as pool:
            print(pool.map(work, range(4)))
            r = pool.apply_async(time.sleep, (0.5,))
            print(r.get())
        print("end")
"""
THREAD_POOL_REAL = [
    (0.0, "done 0"), (0.1, "done 1"), (0.2, "done 2"), (0.3, "done 3"), (0.3, "[0, 1, 4, 9]"), (0.8, "None"),
    (0.8, "end"),
]

AC_TIE = """\
    import asyncio


    async def job(i):
        await asyncio.sleep(1)
        return i


    async def main():
        print([await f for f in asyncio.as_completed({job(i) for i in range(8)})])
"""


@pytest.mark.parametrize(("model", "source", "real"), [
    ("threads", WALL_THREADS, WALL_THREADS_REAL),
    ("coroutines", WALL_ASYNC, WALL_ASYNC_REAL),
    ("threads", PICKLED, PICKLED_REAL),
    ("threads", TIES_THREADS, TIES_THREADS_REAL),
    ("coroutines", TIES_ASYNC, TIES_ASYNC_REAL),
    ("coroutines", AS_COMPLETED, AS_COMPLETED_REAL),
    ("threads", THREAD_POOL, THREAD_POOL_REAL),
], ids=["wall-clocks-threads", "wall-clocks-asyncio", "pickle-replaced-functions", "tie-long-vs-chain-threads",
        "tie-timers-asyncio", "as-completed-and-wait-over-sets",
        "multiprocessing-thread-pool"])
def test_the_kit_prints_what_python_prints(tmp_path, model, source, real):
    assert under_kit(tmp_path, model, source) == real


def test_a_tie_keeps_real_order_under_fifo_and_is_explored_under_lifo(tmp_path):
    """fifo is the real order (the sleep begun first ends first); lifo, the grader's second run, reverses it."""
    lifo = under_kit(tmp_path, "threads", TIES_THREADS, tie="lifo")
    assert lifo[-2:] == [(2.0, "short 3"), (2.0, "long sleep over")]


def test_as_completed_over_a_set_of_coroutines_is_the_same_on_every_python(tmp_path):
    """For real the order follows the coroutines' addresses ([4, 5, 3, 6, 1, 0, 7, 2] on 3.11.7,
    [6, 0, 1, 3, 7, 2, 5, 4] on 3.12.1); the kit makes the tasks in the order of the coroutines' arguments."""
    assert under_kit(tmp_path, "coroutines", AC_TIE) == [(1.0, "[0, 1, 2, 3, 4, 5, 6, 7]")]


# -- the suite: tests/fidelity/<model>/<name>.py against its golden real run -----------------------------------

KNOWN_DIFFERENCES = {  # program -> why the kit's run differs from the real one (each a strict expected failure)
    "processes/manager_dict":
        "starting a Manager() takes no virtual time (README's known limits; about 0.14 s for real here), so the "
        "line comes at 1.2 s against 1.36 s real, just past the tolerance; its lines and their order are right",
}
NOT_DETERMINISTIC = {  # program -> why the kit's own runs differ from one another (issue 11): not strict
}


def _suite_params() -> list[object]:
    params: list[object] = []
    for path in suite.programs():
        pid = suite.program_id(path)
        marks: list[pytest.MarkDecorator] = []
        if pid in KNOWN_DIFFERENCES:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[pid]))
        elif pid in NOT_DETERMINISTIC:
            marks.append(pytest.mark.xfail(strict=False, reason=NOT_DETERMINISTIC[pid]))
        params.append(pytest.param(path, id=pid, marks=marks))
    return params


@pytest.mark.parametrize("path", _suite_params())
def test_a_program_behaves_under_the_kit_as_it_did_for_real(path):
    real, kit = suite.load_golden(path), suite.under_kit(path)
    assert suite.differences(real, kit) == [], f"{suite.program_id(path)}: the kit's run differs from the real one"


def test_the_suite_covers_every_model_and_primitive_with_real_recordings():
    """At least 40 programs; every one has a golden real run (and every golden a program); the recordings are
    short; and each primitive the issue lists is used by some program of its model."""
    progs = suite.programs()
    assert len(progs) >= 40
    goldens = {p.with_suffix("") for model in suite.MODELS for p in (suite.HERE / model).glob("*.json")}
    assert goldens == {p.with_suffix("") for p in progs}
    import json

    recorded = [json.loads(suite.golden_path(p).read_text(encoding="utf-8")) for p in progs]
    assert all(g["program"] == suite.program_id(p) for g, p in zip(recorded, progs, strict=True))
    assert all(0 < g["real_s"] < 3.5 for g in recorded), [(g["program"], g["real_s"]) for g in recorded]
    assert sum(g["run"]["ended_at"] for g in recorded) < 80  # main()'s real seconds, interpreter starts aside
    assert all(g["run"]["ending"].startswith("returned") for g in recorded)
    uses = {
        "threads": ["Thread(", "Lock()", "RLock()", "Condition()", "Semaphore(", "BoundedSemaphore(", "Event()",
                    "Barrier(", "Timer(", "local()", "queue.Queue(", "LifoQueue()", "PriorityQueue()",
                    "SimpleQueue()", "as_completed(", "wait(futures", ".map(", "result(timeout=", "ThreadPool(",
                    "datetime.now()"],
        "coroutines": ["gather(", "wait_for(", "timeout(", "TaskGroup()", "Queue(", "Semaphore(", "Event()",
                       "Condition()", "Lock()", "as_completed(", "to_thread(", "shield(", "call_later(",
                       "run_in_executor("],
        "processes": ["Process(", "Pool(", ".map(", ".imap(", "apply_async(", "ProcessPoolExecutor(", "mp.Queue(",
                      "Pipe(", "Value(", "Array(", "get_lock()", "Manager()"],
    }
    for model, names in uses.items():
        text = "\n".join(p.read_text(encoding="utf-8") for p in progs if suite.model_of(p) == model)
        assert [n for n in names if n not in text] == [], model


def test_the_comparison_holds_each_line_to_0_1_s_or_10_percent_and_to_the_order_and_the_ending():
    real = suite.Run([(0.5, "a"), (2.0, "b")], "returned None", 2.0)

    def kit(lines, ending="returned None", ended_at=2.0):
        return suite.Run(lines, ending, ended_at)

    assert suite.differences(real, kit([(0.6, "a"), (2.2, "b")])) == []  # 0.1 s, then 10 % of 2 s
    assert suite.differences(real, kit([(0.62, "a"), (2.0, "b")])) == ["line 1 'a': real at 0.50 s, kit at 0.62 s"]
    assert suite.differences(real, kit([(0.5, "a"), (2.25, "b")]))[0].startswith("line 2 'b'")
    assert suite.differences(real, kit([(0.5, "b"), (2.0, "a")]))[0].startswith("line 1: real 'a'")
    assert "2 lines for real, 1 under the kit" in suite.differences(real, kit([(0.5, "a")]))[0]
    assert suite.differences(real, kit([(0.5, "a"), (2.0, "b")], "raised ValueError")) == [
        "ending: real 'returned None', kit 'raised ValueError'"]
    assert suite.differences(real, kit([(0.5, "a"), (2.0, "b")], ended_at=2.5)) == [
        "main() ended: real at 2.00 s, kit at 2.5 s"]


def test_both_sides_read_the_same_ending(tmp_path):
    """How main() ended, as the golden and the kit's run say it: main's exception (not a worker's) and when.
    The real side is run without any sleep (an interpreter's start, no waiting)."""
    path = tmp_path / "prog.py"
    path.write_text(textwrap.dedent("""\
        import threading
        import time


        def main():
            t = threading.Thread(target=lambda: print("worker"))
            t.start()
            t.join()
            print("main")
            time.sleep(0.0)
            raise KeyError("late")
    """), encoding="utf-8")
    kit = suite.under_kit(path, model="threads")
    real, _ = suite.for_real(path)
    assert [text for _, text in kit.lines] == [text for _, text in real.lines] == ["worker", "main"]
    assert kit.ending == real.ending == "raised KeyError"
    assert kit.ended_at == 0.0
    assert suite.differences(real, kit) == []


def test_the_benchmark_prints_the_fidelity_figure_per_model():
    """``benchmarks/fidelity.py`` (here on the golden runs, so without real waiting) says how many behave the same."""
    import subprocess
    import sys

    root = suite.HERE.parent.parent
    out = subprocess.run([sys.executable, str(root / "benchmarks" / "fidelity.py"), "--golden", "-k", "thread_local"],
                         capture_output=True, text=True, check=True, cwd=root, timeout=120).stdout
    assert "same  threads/thread_local" in out
    assert "threads: 1 of 1 programs behave the same" in out
    assert "all: 1 of 1 programs behave the same" in out
