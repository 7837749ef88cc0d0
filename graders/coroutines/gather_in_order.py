"""Grader for coroutines/gather_in_order: concurrent fetches, results in input order, total time = longest wait.

The driver calls ``fetch_all`` with three job lists (a mixed one, one with two equal delays, an empty one), so a
hard-coded answer or a sort cannot pass; what it prints and returns is compared with the reference's.
"""

from coursekit import checks
from coursekit.grading import Grader

JOBS = (
    [("slow", 3), ("fast", 1), ("medium", 2)],
    [("b", 1.5), ("a", 2), ("d", 0.5), ("c", 2)],
    [],
)


async def drive(student):
    results = []
    for jobs in JOBS:
        got = await student.fetch_all(list(jobs))
        print(f"results: {got}")
        results.append(got)
    return results


grader = Grader(
    checks=(checks.Runs(), checks.Work(), checks.Output(), checks.Timing(), checks.Order(),
            checks.Elapsed("fetch_all()"),
            checks.Returns("fetch_all()"), checks.Join()),
    work=("fetch",),  # its calls are the work: checks.Work compares them with the reference's
    driver=drive,
)
