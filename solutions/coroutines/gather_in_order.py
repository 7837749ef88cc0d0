"""Gather results in input order (reference solution).

``fetch(name, delay)`` (given) simulates a slow request: it waits ``delay`` seconds, prints
``fetched <name> after <delay> s`` and returns ``name.upper()``.  Write ``fetch_all(jobs)``: for a list of
``(name, delay)`` pairs it runs every fetch *at the same time* and returns their results as a list **in the order
of** ``jobs`` (not in the order they finish).  ``fetch_all([("slow", 3), ("fast", 1), ("medium", 2)])`` takes
3 seconds, not 6, and returns ``['SLOW', 'FAST', 'MEDIUM']``; ``fetch_all([])`` returns ``[]``.
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
    return list(await asyncio.gather(*(fetch(name, delay) for name, delay in jobs)))


async def main():
    results = await fetch_all([("slow", 3), ("fast", 1), ("medium", 2)])
    print(f"results: {results}")


if __name__ == "__main__":
    asyncio.run(main())
