"""Engine tests for asyncio on the virtual clock, and for the checks written for the coroutines exercises:
cancellation records, the default executor at return and at exit, never-awaited coroutines, and the generic
checks (Cancellation, InFlight, ProcessedOnce, Responsive, Elapsed) judged against a reference run."""

from __future__ import annotations

import textwrap
from pathlib import Path

from coursekit import checks
from coursekit._judge import runner
from coursekit._judge.timeline import build
from coursekit.checks._in_flight import peak_in_flight as peak


def observe(tmp_path: Path, source: str, tie: str = "fifo", name: str = "prog"):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return build(runner.run(runner.RunSpec("coroutines", path, tie=tie)))


JOB = """
    import asyncio

    async def job(name, seconds):
        print(f"{name}: started")
        try:
            await asyncio.sleep(seconds)
            print(f"{name}: finished")
        finally:
            print(f"{name}: cleaned up")
"""


TIMEOUT_MAIN = """
    async def main():
        try:
            async with asyncio.timeout(1):
                await job("a", 5)
        except TimeoutError:
            print("timed out")
"""

SWALLOWING_JOB = """
    import asyncio

    async def job(name, seconds):
        print(f"{name}: started")
        try:
            await asyncio.sleep(seconds)
            print(f"{name}: finished")
        except asyncio.CancelledError:
            pass
        finally:
            print(f"{name}: cleaned up")
"""


def test_cancellation_names_the_interrupted_coroutine_whichever_api_cancels_it(tmp_path):
    with_timeout = observe(tmp_path, JOB + TIMEOUT_MAIN, name="timeout")
    with_wait_for = observe(tmp_path, JOB + """
    async def main():
        try:
            await asyncio.wait_for(job("a", 5), 1)
        except TimeoutError:
            print("timed out")
    """, name="wait_for")
    for tl in (with_timeout, with_wait_for):
        assert [(c["t"], c["work"], c["phase"]) for c in tl.cancels] == [(1.0, "job", "main")]
        assert [(x.t, x.text) for x in tl.lines][-2:] == [(1.0, "a: cleaned up"), (1.0, "timed out")]
    assert with_timeout.cancels[0]["target"] == "t0"  # asyncio.timeout cancels the task running main itself
    # wait_for runs the work in the caller's own task, under asyncio.timeout: as 3.12 defines it, and the engine
    # runs it so on 3.11 too, so that one program gets one verdict on every version
    inner = with_wait_for.cancels[0]["target"]
    assert inner == "t0" and not with_wait_for.cancels[0].get("swallowed")
    assert checks.Cancellation().evaluate(with_wait_for, with_timeout).passed
    assert checks.Cancellation().evaluate(with_timeout, with_wait_for).passed


def test_a_swallowed_cancellation_is_named_but_a_timeout_in_a_child_task_is_not(tmp_path):
    reference = observe(tmp_path, JOB + """
    async def run(name, seconds):
        try:
            async with asyncio.timeout(1):
                await job(name, seconds)
        except TimeoutError:
            print(f"{name}: timed out")

    async def main():
        await asyncio.gather(run("a", 5), run("b", 0.5))
    """, name="ref")
    child = reference.cancels[0]["target"]
    assert reference.ended_how[child] == "absorbed"  # uncancel()ed by asyncio.timeout, then went on: by design
    assert checks.Cancellation().evaluate(reference, reference).passed
    swallowed = observe(tmp_path, SWALLOWING_JOB + """
    async def run(name, seconds):
        try:
            await asyncio.wait_for(job(name, seconds), 1)
        except TimeoutError:
            print(f"{name}: timed out")

    async def main():
        await asyncio.gather(run("a", 5), run("b", 0.5))
    """, name="swallowed")
    verdict = checks.Cancellation().evaluate(swallowed, reference)
    assert not verdict.passed and "caught the CancelledError" in verdict.message


def test_work_never_cancelled_and_work_left_pending_are_reported(tmp_path):
    reference = observe(tmp_path, JOB + """
    async def main():
        try:
            await asyncio.wait_for(job("a", 5), 1)
        except TimeoutError:
            print("timed out")
    """, name="ref")
    left_running = observe(tmp_path, JOB + """
    async def main():
        task = asyncio.create_task(job("a", 5))
        done, _ = await asyncio.wait([task], timeout=1)
        if not done:
            print("timed out")
    """, name="left")
    assert left_running.alive_at_return  # the job task
    verdict = checks.Cancellation().evaluate(left_running, reference)
    assert not verdict.passed and "never was" in verdict.message
    cancelled_not_awaited = observe(tmp_path, JOB + """
    async def main():
        task = asyncio.create_task(job("a", 5))
        done, _ = await asyncio.wait([task], timeout=1)
        task.cancel()
        print("timed out")
    """, name="not_awaited")
    verdict = checks.Cancellation().evaluate(cancelled_not_awaited, reference)
    assert not verdict.passed and "cancelled but never awaited" in verdict.message


def test_default_executor_threads_are_not_left_running_but_a_pending_to_thread_is(tmp_path):
    awaited = observe(tmp_path, """
        import asyncio, time
        async def main():
            print(await asyncio.to_thread(lambda: time.sleep(2) or "read"))
    """, name="awaited")
    assert awaited.alive_at_return == [] and [(x.t, x.text) for x in awaited.lines] == [(2.0, "read")]
    forgotten = observe(tmp_path, """
        import asyncio, time
        async def main():
            asyncio.create_task(asyncio.to_thread(time.sleep, 2))
            await asyncio.sleep(1)
    """, name="forgotten")
    assert [forgotten.ctx(c).kind for c in forgotten.alive_at_return] == ["task"]


def test_an_executor_nobody_shut_down_does_not_hang_the_exit(tmp_path):
    tl = observe(tmp_path, """
        import asyncio, time
        from concurrent.futures import ThreadPoolExecutor
        POOL = ThreadPoolExecutor(max_workers=1)
        async def main():
            await asyncio.get_running_loop().run_in_executor(POOL, time.sleep, 1)
            print("done")
    """)
    assert tl.completed and not tl.problems, tl.problems


def test_coroutines_returned_but_never_awaited_are_reported(tmp_path):
    tl = observe(tmp_path, """
        import asyncio
        async def fetch():
            await asyncio.sleep(1)
        async def main():
            return [fetch(), fetch()]
    """)
    assert {p["kind"] for p in tl.problems} == {"never-awaited"}
    assert "prog.py:6" in tl.problems[0]["where"]


def test_a_task_crash_is_reported_once(tmp_path):
    tl = observe(tmp_path, """
        import asyncio
        async def boom():
            raise ValueError("x")
        async def main():
            task = asyncio.create_task(boom())
            await asyncio.sleep(1)
            del task
    """)
    assert [c["exc"] for c in tl.crashes] == ["ValueError"]


def test_peak_counts_open_intervals():
    assert peak({"a": (0, 1), "b": (1, 2), "c": (1, 3)})[0] == 2  # touching at 1 s is not overlapping
    assert peak({"a": (0, 3), "b": (0, 1), "c": (0, 2)})[:2] == (3, 0)
    assert peak({})[0] == 0


LIMITED = """
    import asyncio

    async def job(name, seconds):
        print(f"job {name} starts")
        await asyncio.sleep(seconds)
        print(f"job {name} done")

    JOBS = [("a", 3), ("b", 1), ("c", 2), ("d", 1)]
"""


def test_in_flight_counts_units_by_key_whatever_the_task_layout(tmp_path):
    reference = observe(tmp_path, LIMITED + """
    async def main():
        sem = asyncio.Semaphore(2)
        async def limited(name, seconds):
            async with sem:
                await job(name, seconds)
        await asyncio.gather(*(limited(n, s) for n, s in JOBS))
    """, name="ref")
    pool = observe(tmp_path, LIMITED + """
    async def main():
        todo = iter(JOBS)
        async def worker():
            for name, seconds in todo:
                await job(name, seconds)
        await asyncio.gather(worker(), worker())
    """, name="pool")
    unlimited = observe(tmp_path, LIMITED + """
    async def main():
        await asyncio.gather(*(job(n, s) for n, s in JOBS))
    """, name="unlimited")
    one_by_one = observe(tmp_path, LIMITED + """
    async def main():
        for n, s in JOBS:
            await job(n, s)
    """, name="one")
    check = checks.InFlight(key=r"^job (\w+) ")
    assert check.evaluate(pool, reference).passed
    too_many = check.evaluate(unlimited, reference)
    assert not too_many.passed and "4 jobs were running at once at 0 s" in too_many.message
    assert "never runs more than 2" in too_many.message
    too_few = check.evaluate(one_by_one, reference)
    assert not too_few.passed and "At most 1 job ran" in too_few.message


def test_processed_once_names_duplicates_and_missing_items(tmp_path):
    reference = observe(tmp_path, """
        def main():
            for i in (1, 2, 3):
                print(f"done {i}")
    """, name="ref")
    twice = observe(tmp_path, """
        def main():
            for i in (1, 2, 2, 3):
                print(f"done {i}")
    """, name="twice")
    lost = observe(tmp_path, """
        def main():
            print("done 1")
    """, name="lost")
    check = checks.ProcessedOnce(r"^done (\d+)")
    assert check.evaluate(reference, reference).passed
    assert "item 2 was processed 2 times" in check.evaluate(twice, reference).message
    assert "item 2 was never processed (2 items missing)" in check.evaluate(lost, reference).message


HEARTBEAT = """
    import asyncio, time

    async def heartbeat():
        for i in range(1, 5):
            await asyncio.sleep(0.5)
            print(f"beat {i}")

    def blocking():
        time.sleep(1.5)
        return "data"
"""


def test_responsive_and_elapsed_see_a_blocked_event_loop(tmp_path):
    reference = observe(tmp_path, HEARTBEAT + """
    async def main():
        beat = asyncio.create_task(heartbeat())
        print(await asyncio.gather(asyncio.to_thread(blocking), asyncio.to_thread(blocking)))
        await beat
    """, name="ref")
    blocked = observe(tmp_path, HEARTBEAT + """
    async def main():
        beat = asyncio.create_task(heartbeat())
        await asyncio.sleep(0)
        print([blocking(), blocking()])
        await beat
    """, name="blocked")
    assert [(x.t, x.text) for x in reference.lines][:3] == [(0.5, "beat 1"), (1.0, "beat 2"), (1.5, "beat 3")]
    assert checks.Responsive(r"^beat").evaluate(reference, reference).passed
    verdict = checks.Responsive(r"^beat").evaluate(blocked, reference)
    assert not verdict.passed and "blocks the event loop" in verdict.message
    assert any(f.kind == "blocking-sleep" for f in verdict.findings)
    elapsed = checks.Elapsed().evaluate(blocked, reference)
    assert not elapsed.passed and "took 4.5 s" in elapsed.message and "takes 2 s" in elapsed.message
    assert checks.Elapsed().evaluate(reference, reference).passed


def test_both_tie_policies_give_the_same_times_with_executor_threads(tmp_path):
    source = HEARTBEAT + """
    async def main():
        beat = asyncio.create_task(heartbeat())
        await asyncio.to_thread(time.sleep, 1)
        print("slept")
        await beat
    """
    fifo = observe(tmp_path, source, tie="fifo")
    lifo = observe(tmp_path, source, tie="lifo")
    assert sorted((x.t, x.text) for x in fifo.lines) == sorted((x.t, x.text) for x in lifo.lines)


def test_a_cancellation_swallowed_inside_asyncio_timeout_is_named(tmp_path):
    # asyncio.timeout cancels the task running main() itself; the work catches the CancelledError and returns,
    # so the timeout never learns of it and no TimeoutError comes (on every Python: timeout's __aexit__ takes
    # the cancellation back with no exception in flight).
    reference = observe(tmp_path, JOB + TIMEOUT_MAIN, name="reference")
    swallowing = observe(tmp_path, SWALLOWING_JOB + TIMEOUT_MAIN, name="swallowing")
    assert [c.get("swallowed", False) for c in reference.cancels] == [False]
    assert [c.get("swallowed", False) for c in swallowing.cancels] == [True]
    verdict = checks.Cancellation().evaluate(swallowing, reference)
    assert not verdict.passed and "caught the CancelledError" in verdict.message


def test_tasks_left_pending_are_cancelled_in_creation_order_whatever_their_addresses(tmp_path):
    """asyncio.run cancels what main left pending by iterating a set, whose order follows memory addresses: the
    engine makes it creation order, so the clean-up lines come out the same on every machine and Python build.
    Objects allocated between the tasks (and tasks made in a shuffled order of sizes) scatter the addresses."""
    tl = observe(tmp_path, """
        import asyncio

        async def job(n):
            try:
                await asyncio.sleep(100)
            finally:
                print(f"cleaned up {n}")

        async def main():
            keep = []
            for n in range(40):
                keep.append(bytearray(64 * ((n * 7) % 13)))  # allocations between tasks move the addresses about
                keep.append(asyncio.create_task(job(n)))
            await asyncio.sleep(1)
    """)
    assert [line.text for line in tl.lines] == [f"cleaned up {n}" for n in range(40)]
