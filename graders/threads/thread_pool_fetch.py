"""Grader for threads/thread_pool_fetch: results in input order with errors in their place, each url fetched
once, exactly max_workers fetches at once when there are enough, and no pool thread left behind.

The driver runs ``fetch_all`` on scenarios (``coursekit.scenarios``): no urls, one url, a url given twice, fetches
that fail with exceptions of several types (the contract says *any* exception), and up to 9 urls on 1 to 8
workers drawn from a fixed seed, smallest first.  Expectations come from the reference on the same scenarios.
"""

import time

from coursekit import checks, scenarios
from coursekit.grading import Grader
from coursekit.scenarios import Scenario

FAILURES = (ConnectionError, TimeoutError, ValueError, OSError, KeyError, RuntimeError)
NAMES = "abcdefghijk"


def case(urls, max_workers, failing=()):
    """``urls``: (url, seconds) pairs; ``failing``: {url: exception type} for the fetches that raise."""
    failing = dict(failing)
    said = ", ".join(f"{u} raises {e.__name__}" for u, e in failing.items())
    label = (f"urls {[u for u, _ in urls]!r}" + (f" ({said})" if said else "") + f" and max_workers={max_workers}")
    return Scenario(label, {"urls": urls, "max_workers": max_workers, "failing": failing},
                    size=len(urls) + max_workers)


def random_case(rng):
    names = rng.sample(NAMES, rng.randint(1, 9))
    urls = [(f"{n}.org", rng.choice((0.5, 1, 1.5, 2))) for n in names]
    failing = {u: rng.choice(FAILURES) for u, _ in urls if rng.random() < 0.3}
    return case(urls, rng.randint(1, 8), failing)


SCENARIOS = scenarios.draw(random_case, seed=4, count=6, fixed=(
    case([], 2),
    case([("a.org", 1)], 1),
    case([("down.org", 1)], 1, {"down.org": ConnectionError}),
    case([("x.org", 1), ("slow.org", 2)], 2, {"slow.org": TimeoutError}),
    case([("a.org", 2), ("b.org", 1), ("down.org", 1), ("c.org", 3), ("d.org", 1), ("e.org", 2), ("f.org", 1)], 3,
         {"down.org": ConnectionError}),
    case([("x.org", 1), ("y.org", 2)], 4),
    case([("a.org", 1), ("a.org", 1), ("b.org", 0.5)], 2, {"b.org": ValueError}),
))


def fetch_of(scenario):
    """Simulated slow I/O for one scenario: wait for the url's latency, report the fetch, raise for a failing url."""
    seconds = dict(scenario["urls"])
    failing = scenario["failing"]

    def fetch(url):
        time.sleep(seconds[url])
        print(f"fetched {url} (scenario {scenario.number})")
        if url in failing:
            raise failing[url](f"{url}: no answer")
        return f"<page {url}>"

    return fetch


def drive(module):
    """Every scenario through fetch_all(); return each one's result (or the exception it raised)."""
    return scenarios.run_each(SCENARIOS, lambda s: module.fetch_all([u for u, _ in s["urls"]], fetch_of(s),
                                                                      s["max_workers"]))


grader = Grader(
    checks=(
        checks.Runs(), checks.Work(),
        checks.Returns("fetch_all()", advice="Read the futures in the order you submitted them, and catch any "
                       "exception future.result() re-raises (except Exception): store f\"error: {exc}\" for that "
                       "url, keep the rest."),
        checks.ExactlyOnce("fetched ", what="url", advice="Submit each url once, and never call fetch yourself: "
                           "report a failed fetch, do not retry it."),
        checks.Busy(work="given"),
        checks.Timing(),
        checks.Workers(work="given"),
        checks.Leaks("fetch_all()", advice="Use the executor in a `with` block (or call shutdown()), so that its "
                     "threads end before fetch_all() returns."),
    ),
    work=("fetch",),  # its calls are the work: checks.Work compares them with the reference's
    driver=drive,
)
