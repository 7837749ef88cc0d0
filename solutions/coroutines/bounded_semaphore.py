"""At most ``limit`` at once: asyncio.Semaphore (reference solution).

``job(name, seconds)`` (given) prints ``job <name> starts``, works for ``seconds`` and prints
``job <name> done``, returning ``"<name> ok"``.  Write ``run_limited(jobs, limit)``: run ``job(name, seconds)``
for every ``(name, seconds)`` in ``jobs``, as many at the same time as allowed but **never more than**
``limit`` at once, and return the results in the order of ``jobs``.  A job starts as soon as a place is free
(first come, first served), so the whole schedule follows: with ``limit=2`` and jobs of 3, 1 and 2 seconds,
the third starts at 1 s, when the second is done.
"""

import asyncio


async def job(name, seconds):
    """Given: one unit of work."""
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"


async def run_limited(jobs, limit):
    """Run ``job(name, seconds)`` for every ``(name, seconds)`` in ``jobs``, at most ``limit`` at once; return the
    results in the order of ``jobs``."""
    semaphore = asyncio.Semaphore(limit)

    async def limited(name, seconds):
        async with semaphore:
            return await job(name, seconds)

    return list(await asyncio.gather(*(limited(name, seconds) for name, seconds in jobs)))


async def main():
    print(await run_limited([("a", 3), ("b", 1), ("c", 2), ("d", 1)], limit=2))


if __name__ == "__main__":
    asyncio.run(main())
