"""Grader for coroutines/async_queue_pipeline: every item processed exactly once, by ``workers`` consumers at a
time, the queue joined, the consumers stopped, nothing left pending.

The driver runs two pipelines with different numbers of consumers, so a hard-coded number of consumers fails.
"""

from coursekit import checks
from coursekit.grading import Grader

RUNS = (([1, 2, 3, 4, 5, 6, 7], 2), ([10, 11, 12, 13], 3))


async def drive(student):
    results = []
    for items, workers in RUNS:
        got = await student.pipeline(list(items), workers)
        print(f"results: {got}")
        results.append(got)
    return results


grader = Grader(
    checks=(checks.Runs(), checks.Output(), checks.Timing(), checks.Order(),
            checks.ProcessedOnce(r"^done (\d+)", item="item"),
            checks.InFlight(
                key=r"^(?:start|done) (\d+)", unit="item",
                too_many="Start the consumers before the producer runs, so that they take items as they come.",
                too_few="Start `workers` consumer tasks, all before the producer, all reading the same queue."),
            checks.Returns("pipeline()"), checks.Join()),
    driver=drive,
)
