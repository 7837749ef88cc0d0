"""At most ``limit`` at once: asyncio.Semaphore.

``job(name, seconds)`` (given) prints ``job <name> starts``, works for ``seconds`` and prints
``job <name> done``, returning ``"<name> ok"``.  Write ``run_limited(jobs, limit)``: run ``job(name, seconds)``
for every ``(name, seconds)`` in ``jobs``, as many at the same time as allowed but **never more than**
``limit`` at once, and return the results in the order of ``jobs``.  A job starts as soon as a place is free
(first come, first served), so the whole schedule follows: with ``limit=2`` and jobs of 3, 1 and 2 seconds,
the third starts at 1 s, when the second is done.

The lesson
    An ``asyncio.Semaphore(limit)`` holds ``limit`` permits: ``async with semaphore:`` takes one (waiting while
    none is free) and gives it back at the end of the block, even on an error.  Create *one* semaphore and
    share it between all the jobs (a semaphore per job limits nothing), start every job at once (gather), and
    let the semaphore hold them back: waiting tasks get a permit in the order they asked for it.
    Docs: https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore

Check your work:  course check coroutines/bounded_semaphore   (or: pytest exercises/coroutines/bounded_semaphore.py)
Run it and watch:  python exercises/coroutines/bounded_semaphore.py
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
    # TODO: create one asyncio.Semaphore(limit); write a small coroutine that runs one job inside
    #       `async with semaphore:`; gather one of those per job and return the results
    raise NotImplementedError("run_limited(): share one asyncio.Semaphore(limit), run every job inside it, gather")


async def main():
    print(await run_limited([("a", 3), ("b", 1), ("c", 2), ("d", 1)], limit=2))


if __name__ == "__main__":
    asyncio.run(main())
