"""Grader for coroutines/async_queue_pipeline: every item processed exactly once, by ``workers`` consumers at a
time, the queue joined, the consumers stopped, nothing left pending.

The driver runs ``pipeline`` on scenarios (``coursekit.scenarios``): no items, the item 0, repeated items, and
lists of up to 7 items on 1 to 5 consumers drawn from a fixed seed, smallest first; so a hard-coded number of
consumers, a consumer that stops on a falsy item, or results collected until there are as many distinct ones as
items, each fail a named scenario.
"""

from coursekit import checks, scenarios
from coursekit.grading import Grader
from coursekit.scenarios import Scenario, plural, show


def case(items, workers):
    return Scenario(f"items {show(items)} and {plural(workers, 'worker')}", {"items": items, "workers": workers},
                    size=len(items) + workers)


_drawn = iter(range(2, 100))


def random_case(rng):
    """Items of the ``k``-th drawn scenario lie in ``[10k, 10k + 9]``: no two scenarios share an item, so that
    ``InFlight`` (which groups lines by item) counts each scenario's items apart; repeats within one stay."""
    base = 10 * next(_drawn)
    return case([base + x for x in scenarios.numbers(rng, rng.randint(1, 7))], rng.randint(1, 5))


SCENARIOS = scenarios.draw(random_case, seed=15, count=3, fixed=(
    case([], 2), case([0], 1), case([9, 9, 9], 2), case([1, 2, 3, 4, 5, 6, 7], 2), case([10, 11, 12, 13], 3),
    case([15, 18], 4)))


async def drive(student):
    """Every scenario through pipeline(); return each one's result (or the exception it raised)."""
    return await scenarios.run_each_async(SCENARIOS, lambda s: student.pipeline(list(s["items"]), s["workers"]))


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
