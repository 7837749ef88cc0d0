"""Cancellations told apart by who asked (a caller from outside, a timer, the program itself), judged per scenario;
and a task's error that the program takes (await, result(), gather) is no crash.

Each test runs small programs under the harness, some with a driver that cancels from outside
(``coursekit.scenarios.cancelled_after``), and compares them with a reference run as a grader would.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from coursekit import checks
from coursekit._judge import runner
from coursekit._judge.timeline import Timeline, build

DRIVER = """
from coursekit import scenarios
from coursekit.scenarios import Scenario

SCENARIOS = scenarios.draw(lambda rng: Scenario("x"), seed=1, count=0, fixed=(
    Scenario("job of 3 s, limit 2 s", {"seconds": 3, "limit": 2, "at": None}, size=1),
    Scenario("job of 4 s, limit 3 s, the caller cancelling it at 1 s", {"seconds": 4, "limit": 3, "at": 1}, size=2),
))


async def drive(student):
    async def one(s):
        call = student.run("job", s["seconds"], s["limit"])
        return await (scenarios.cancelled_after(s["at"], call) if s["at"] else call)

    return await scenarios.run_each_async(SCENARIOS, one)
"""

JOB = """
import asyncio


async def job(name, seconds):
    try:
        await asyncio.sleep(seconds)
        return name
    finally:
        print(f"{name}: cleaned up")

"""

TIMEOUT = JOB + """
async def run(name, seconds, limit):
    try:
        async with asyncio.timeout(limit):
            return await job(name, seconds)
    except TimeoutError:
        print(f"{name}: timed out")
"""

TASK_AND_WAIT = JOB + """
async def run(name, seconds, limit):
    task = asyncio.create_task(job(name, seconds))
    try:
        done, _ = await asyncio.wait({task}, timeout=limit)
    finally:
        if not task.done():
            task.cancel()
            await asyncio.wait({task})
    if task.cancelled():
        print(f"{name}: timed out")
        return None
    return task.result()
"""

SWALLOWS = JOB + """
async def run(name, seconds, limit):
    try:
        async with asyncio.timeout(limit):
            return await job(name, seconds)
    except BaseException:
        print(f"{name}: timed out")
"""

SHIELDED = JOB + """
async def run(name, seconds, limit):
    task = asyncio.create_task(job(name, seconds))
    try:
        async with asyncio.timeout(limit):
            return await asyncio.shield(task)
    except TimeoutError:
        task.cancel()
        await asyncio.wait({task})
        print(f"{name}: timed out")
"""


def observe(tmp_path: Path, source: str, name: str, driver: str | None = None) -> Timeline:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    drive = None
    if driver is not None:
        grader = tmp_path / f"grader_{name}.py"
        grader.write_text(textwrap.dedent(driver), encoding="utf-8")
        drive = (grader, "drive")
    return build(runner.run(runner.RunSpec("coroutines", path, tie="fifo", driver=drive)))


def test_a_cancel_event_says_whether_a_task_or_a_timer_asked(tmp_path: Path) -> None:
    tl = observe(tmp_path, JOB + """
async def main():
    task = asyncio.create_task(job("a", 5))
    await asyncio.sleep(1)
    task.cancel()
    await asyncio.wait({task})
    try:
        async with asyncio.timeout(1):
            await job("b", 5)
    except TimeoutError:
        pass
""", "who")
    asked = [c for c in tl.cancels if c.get("phase") == "main"]
    assert [(c["from_task"], bool(c["where"])) for c in asked] == [(True, True), (False, False)]


def test_a_task_error_the_program_takes_is_no_crash_and_one_nobody_takes_is(tmp_path: Path) -> None:
    tl = observe(tmp_path, """
import asyncio


async def fails(after):
    await asyncio.sleep(after)
    raise KeyError("broke")


async def main():
    awaited = asyncio.create_task(fails(1))
    try:
        await awaited
    except KeyError:
        print("handled")
    gathered = await asyncio.gather(fails(1), return_exceptions=True)
    print(type(gathered[0]).__name__)
    asyncio.create_task(fails(0.5))  # nobody takes this one's error
    await asyncio.sleep(2)
""", "errors")
    assert [x.text for x in tl.lines] == ["handled", "KeyError"]
    assert [(c["exc"], c["t"]) for c in tl.crashes] == [("KeyError", 2.5)]


def test_the_caller_cancel_is_judged_alike_whatever_tasks_carry_the_work(tmp_path: Path) -> None:
    expected = observe(tmp_path, TIMEOUT, "reference", DRIVER)
    other = observe(tmp_path, TASK_AND_WAIT, "task_and_wait", DRIVER)
    assert checks.Cancellation().evaluate(expected, expected).passed
    verdict = checks.Cancellation().evaluate(other, expected)
    assert verdict.passed, verdict.message


def test_a_swallowed_caller_cancel_is_named_as_the_callers(tmp_path: Path) -> None:
    expected = observe(tmp_path, TIMEOUT, "reference", DRIVER)
    verdict = checks.Cancellation().evaluate(observe(tmp_path, SWALLOWS, "swallows", DRIVER), expected)
    assert not verdict.passed
    assert verdict.message.startswith("With job of 4 s, limit 3 s, the caller cancelling it at 1 s: the caller "
                                      "cancelled run() at 1 s, but it caught the CancelledError"), verdict.message
    assert [f.kind for f in verdict.findings] == ["swallowed-cancel"]


def test_a_shield_that_keeps_the_callers_cancel_from_the_work_is_caught(tmp_path: Path) -> None:
    expected = observe(tmp_path, TIMEOUT, "reference", DRIVER)
    verdict = checks.Cancellation().evaluate(observe(tmp_path, SHIELDED, "shielded", DRIVER), expected)
    assert not verdict.passed
    assert "the caller cancels run() at 1 s, and job() should be cancelled with it" in verdict.message, \
        verdict.message
    assert [f.kind for f in verdict.findings] == ["not-cancelled"]
