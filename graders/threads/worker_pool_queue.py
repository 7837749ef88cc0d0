"""Grader for threads/worker_pool_queue: results in input order, each item processed once, n workers busy at
once, and no worker left waiting in the queue after run_pool() returns.

The driver runs ``run_pool`` on scenarios (``coursekit.scenarios``): no items, the item 0, repeated items, and
lists of up to 10 items on 1 to 8 workers drawn from a fixed seed, smallest first.  So a hard-coded number of
workers, a worker that stops on a falsy item, or results collected until there are as many distinct ones as
items, each fail a named scenario.
"""

import time

from coursekit import checks, scenarios
from coursekit.grading import Grader
from coursekit.scenarios import Scenario, plural, show


def case(items, workers):
    return Scenario(f"items {show(items)} and {plural(workers, 'worker')}", {"items": items, "workers": workers},
                    size=len(items) + workers)


def random_case(rng):
    return case(scenarios.numbers(rng, rng.randint(1, 10)), rng.randint(1, 8))


SCENARIOS = scenarios.draw(random_case, seed=11, count=6, fixed=(
    case([], 2), case([0], 1), case([4, 4, 4], 2), case([1, 0, 2, 0], 3), case([3, 1, 4, 1, 5, 9, 2, 6], 3),
    case([7, 8], 4)))


def work_of(scenario):
    """The work for one scenario: 0.5 to 1.5 s by item, a report tagged with the scenario, a result made from
    the item (0 for the item 0, a falsy result)."""

    def work(item):
        time.sleep(0.5 * (1 + item % 3))
        print(f"processed {item} (scenario {scenario.number})")
        return item * 10

    return work


def drive(module):
    """Every scenario through run_pool(); return each one's result (or the exception it raised)."""
    return scenarios.run_each(SCENARIOS, lambda s: module.run_pool(list(s["items"]), work_of(s), s["workers"]))


grader = Grader(
    checks=(
        checks.Runs(), checks.Work(),
        checks.Returns("run_pool()", advice="If the values are right but out of order: store each result "
                       "at its item's index (results[index] = ...), not in the order the workers finish."),
        checks.ExactlyOnce("processed ", advice="Put each item in the queue once; each worker takes its items "
                           "from the queue, never from the list."),
        checks.Busy(work="given"),
        checks.Timing(),
        checks.Workers(work="given"),
        checks.Leaks("run_pool()", advice="Put one sentinel per worker after the items, and join every worker "
                     "before run_pool() returns."),
    ),
    work=("work",),  # its calls are the work: checks.Work compares them with the reference's
    driver=drive,
)
