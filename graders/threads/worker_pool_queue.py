"""Grader for threads/worker_pool_queue: results in input order, each item processed once, n workers busy at
once, and no worker left waiting in the queue after run_pool() returns."""

import time

from coursekit import checks
from coursekit.grading import Grader

SECONDS = {"a": 3, "b": 1, "c": 2, "d": 1, "e": 2, "f": 1, "g": 3, "h": 1, "x": 1, "y": 2}


def work(item):
    """Simulated slow work: sleep for the item's time, report it, return a result made from the item."""
    time.sleep(SECONDS[item])
    print(f"processed {item}")
    return item.upper() * 2


def drive(module):
    """Eight items on three workers, then two items on four workers (more workers than work)."""
    results = {}
    results["8 items, 3 workers"] = module.run_pool(list("abcdefgh"), work, 3)
    print("run_pool(8 items, 3 workers) returned")
    results["2 items, 4 workers"] = module.run_pool(["x", "y"], work, 4)
    print("run_pool(2 items, 4 workers) returned")
    return results


grader = Grader(
    checks=(
        checks.Runs(),
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
    driver=drive,
)
