"""Fidelity: small programs of the kind students and instructors write, run under the kit and compared with what
Python does for real.

Each program was run once for real (``python prog.py`` with a ``print`` that notes the time): its golden lines below
are that run's output, each with its time rounded to 0.1 s.  The test runs the program under the kit (virtual
time, no real sleeping) and expects the same lines, in the same order, at the same rounded times.  Every case here
failed before the engine change it is named after (issue 16: wall clocks, pickling the replaced functions, ties
between a long sleep and a chain of short ones, ``as_completed`` and ``wait`` over sets, ``ThreadPool``, whose
handler thread waits in a real ``select``).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

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

