"""Grader for coroutines/bounded_semaphore: never more than ``limit`` jobs at once, that many when work allows,
first come first served, results in order.

The driver runs two batches with different limits (so a hard-coded limit fails one of them); ``InFlight`` counts
the jobs running at once from their ``job X starts`` / ``job X done`` lines, whatever tasks printed them.
"""

from coursekit import checks
from coursekit.grading import Grader

BATCHES = (
    ([("a", 3), ("b", 1), ("c", 2), ("d", 1), ("e", 2.5), ("f", 0.5), ("g", 1)], 3),
    ([("h", 1), ("i", 2), ("j", 0.5), ("k", 1)], 2),
)


async def drive(student):
    results = []
    for jobs, limit in BATCHES:
        got = await student.run_limited(list(jobs), limit)
        print(f"results: {got}")
        results.append(got)
    return results


grader = Grader(
    checks=(checks.Runs(), checks.Work(), checks.Output(), checks.Timing(), checks.Order(),
            checks.InFlight(
                key=r"^job (\w+) ", unit="job",
                too_many="Create one asyncio.Semaphore(limit), share it, and run each whole job inside "
                         "`async with semaphore:`.",
                too_few="Start every job at once (gather) and let the semaphore hold them back; do not await "
                        "them one by one or in batches."),
            checks.Returns("run_limited()"), checks.Join()),
    work=("job",),  # its calls are the work: checks.Work compares them with the reference's
    driver=drive,
)
