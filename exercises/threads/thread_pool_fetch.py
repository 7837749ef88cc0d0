"""Fetch pages with a ThreadPoolExecutor.

``fetch_all(urls, fetch, max_workers)`` calls ``fetch(url)`` for every url in a pool of ``max_workers``
threads, and returns one result per url, in the order of ``urls``.  When a fetch raises an exception, its
place in the list holds the string ``f"error: {exc}"`` instead, and the other fetches are not affected.

The lesson
    Waiting for the network is time a thread spends doing nothing, so threads speed up I/O even with the GIL.
    ``concurrent.futures.ThreadPoolExecutor`` keeps a fixed number of threads and hands them the calls:
    ``pool.submit(fetch, url)`` returns a ``Future`` at once (pass the function and its argument; writing
    ``submit(fetch(url))`` would fetch right there, in the caller).  ``future.result()`` waits for that call
    and returns its value, or *re-raises* its exception: catch it there, per future.  Reading the futures in
    the order you submitted them gives the results in input order; ``as_completed`` gives completion order.
    A ``with`` block shuts the pool down at the end, so no thread outlives the function.
    Docs: https://docs.python.org/3/library/concurrent.futures.html#threadpoolexecutor
          https://docs.python.org/3/library/concurrent.futures.html#future-objects

Check your work:  course check threads/thread_pool_fetch   (or: pytest exercises/threads/thread_pool_fetch.py)
Run it and watch:  python exercises/threads/thread_pool_fetch.py
"""

import time
from concurrent.futures import ThreadPoolExecutor  # noqa: F401  (you will need it)


def fetch_all(urls, fetch, max_workers):
    """Call ``fetch(url)`` for every url, at most ``max_workers`` at once; return the results in input order.

    A fetch that raises gives the string ``f"error: {exc}"`` in its place; the other fetches go on.
    """
    # TODO: in a `with ThreadPoolExecutor(max_workers=max_workers) as pool:` block, submit fetch for every url
    #       (keep the futures in a list), then read each future's result() in that order; catch the exception
    #       result() re-raises and store f"error: {exc}" for that url
    raise NotImplementedError("fetch_all(): submit every fetch to a ThreadPoolExecutor, collect results in order")


def fake_fetch(url):
    """A stand-in for a slow download: 0.1 s per character of the name; a name with 'down' in it fails."""
    time.sleep(0.1 * len(url))
    if "down" in url:
        raise ConnectionError(f"{url} is down")
    return f"<html>{url}</html>"


if __name__ == "__main__":
    for line in fetch_all(["a.org", "bb.org", "down.org", "c.org"], fake_fetch, max_workers=2):
        print(line)
