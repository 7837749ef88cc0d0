"""Gather results in input order.

``fetch(name, delay)`` (given) simulates a slow request: it waits ``delay`` seconds, prints
``fetched <name> after <delay> s`` and returns ``name.upper()``.  Write ``fetch_all(jobs)``: for a list of
``(name, delay)`` pairs it runs every fetch *at the same time* and returns their results as a list **in the order
of** ``jobs`` (not in the order they finish).  ``fetch_all([("slow", 3), ("fast", 1), ("medium", 2)])`` takes
3 seconds, not 6, and returns ``['SLOW', 'FAST', 'MEDIUM']``; ``fetch_all([])`` returns ``[]``.

The lesson
    ``asyncio.gather(*coros)`` wraps each coroutine in a task, runs them all concurrently, and returns their
    results in the order you passed them, whatever order they finish in.  So the total time is the longest
    wait, not the sum.  ``await fetch(...)`` in a loop runs them one after the other; ``asyncio.as_completed``
    gives results in the order they *finish*.  Do not forget the ``*``: gather takes coroutines as separate
    arguments, not one list.
    Docs: https://docs.python.org/3/library/asyncio-task.html#running-tasks-concurrently

Check your work:  course check coroutines/gather_in_order   (or: pytest exercises/coroutines/gather_in_order.py)
Run it and watch:  python exercises/coroutines/gather_in_order.py
"""

import asyncio


async def fetch(name, delay):
    """Given: a slow request.  Wait ``delay`` seconds, print a line, return ``name.upper()``."""
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()


async def fetch_all(jobs):
    """Run ``fetch(name, delay)`` for every ``(name, delay)`` in ``jobs`` concurrently; return the results in
    the order of ``jobs``."""
    # TODO: make one fetch(name, delay) coroutine per job, run them all at once (asyncio.gather), and return
    #       the list of results (gather keeps the order you give it)
    raise NotImplementedError("fetch_all(): run every fetch at the same time, return the results in input order")


async def main():
    results = await fetch_all([("slow", 3), ("fast", 1), ("medium", 2)])
    print(f"results: {results}")


if __name__ == "__main__":
    asyncio.run(main())
