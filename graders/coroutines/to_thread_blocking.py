"""Grader for coroutines/to_thread_blocking: blocking calls run in threads, at the same time, while the event loop
stays free (the heartbeat keeps its schedule).

The driver starts the student's heartbeat as a task, then awaits ``read_all`` on two request lists.
"""

import asyncio

from coursekit import checks
from coursekit.grading import Grader

REQUESTS = ([("disk", 2), ("network", 3), ("db", 1)], [("cache", 0.5), ("archive", 1.5)])


async def drive(student):
    beat = asyncio.create_task(student.heartbeat(8))
    results = []
    for requests in REQUESTS:
        got = await student.read_all(list(requests))
        print(f"results: {got}")
        results.append(got)
    await beat
    return results


grader = Grader(
    checks=(checks.Runs(), checks.Work(), checks.Output(), checks.Timing(), checks.Order(),
            checks.Responsive(r"^heartbeat "),
            checks.Elapsed("read_all()"), checks.Returns("read_all()"), checks.Join()),
    work=("blocking_read",),  # its calls are the work: checks.Work compares them with the reference's
    driver=drive,
)
