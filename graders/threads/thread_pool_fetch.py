"""Grader for threads/thread_pool_fetch: results in input order with errors in their place, each url fetched
once, exactly max_workers fetches at once when there are enough, and no pool thread left behind."""

import time

from coursekit import checks
from coursekit.grading import Grader

SECONDS = {"a.org": 2, "b.org": 1, "down.org": 1, "c.org": 3, "d.org": 1, "e.org": 2, "f.org": 1,
           "x.org": 1, "y.org": 2}


def fetch(url):
    """Simulated slow I/O: wait for the url's latency, report the fetch, fail for a url with 'down' in it."""
    time.sleep(SECONDS[url])
    print(f"fetched {url}")
    if "down" in url:
        raise ConnectionError(f"{url} refused the connection")
    return f"<page {url}>"


def drive(module):
    """Seven urls (one fails) on three workers, then two urls on four workers (more workers than work)."""
    results = {}
    urls = ["a.org", "b.org", "down.org", "c.org", "d.org", "e.org", "f.org"]
    results["7 urls, max_workers=3"] = module.fetch_all(urls, fetch, 3)
    print("fetch_all(7 urls, max_workers=3) returned")
    results["2 urls, max_workers=4"] = module.fetch_all(["x.org", "y.org"], fetch, 4)
    print("fetch_all(2 urls, max_workers=4) returned")
    return results


grader = Grader(
    checks=(
        checks.Runs(),
        checks.Returns("fetch_all()", advice="Read the futures in the order you submitted them, and catch the "
                       "exception future.result() re-raises: store f\"error: {exc}\" for that url, keep the rest."),
        checks.ExactlyOnce("fetched ", what="url", advice="Submit each url once, and never call fetch yourself: "
                           "report a failed fetch, do not retry it."),
        checks.Busy(work="given"),
        checks.Timing(),
        checks.Workers(work="given"),
        checks.Leaks("fetch_all()", advice="Use the executor in a `with` block (or call shutdown()), so that its "
                     "threads end before fetch_all() returns."),
    ),
    driver=drive,
)
