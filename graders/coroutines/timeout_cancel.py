"""Grader for coroutines/timeout_cancel: work past its limit is cancelled then, cleans up, nothing is left pending.

The driver runs a job that finishes in time, one that times out, then two at once (one of each), and finally
waits a little longer so that work left running in the background would show up in the output.
"""

import asyncio

from coursekit import checks
from coursekit.grading import Grader


async def drive(student):
    results = [await student.run_with_timeout("quick", 1, 2)]
    results.append(await student.run_with_timeout("slow", 5, 2))
    results += await asyncio.gather(student.run_with_timeout("a", 3, 1.5), student.run_with_timeout("b", 1, 1.5))
    print(f"results: {results}")
    await asyncio.sleep(1)
    print("after a pause")
    return results


grader = Grader(
    checks=(checks.Runs(), checks.Output(), checks.Timing(), checks.Order(), checks.Cancellation(),
            checks.Returns("run_with_timeout()"), checks.Join()),
    driver=drive,
)
