"""Give up on slow work: timeouts, cancellation and clean-up (reference solution).

Write two coroutines.  ``slow_job(name, seconds)`` prints ``<name>: started``, waits ``seconds``, prints
``<name>: finished`` and returns ``"<name> result"``; whatever happens (also when it is cancelled half-way) it
prints ``<name>: cleaned up`` last.  ``run_with_timeout(name, seconds, limit)`` runs ``slow_job(name, seconds)``
but gives up after ``limit`` seconds: it returns the job's result if it finished in time; otherwise the job is
cancelled (its clean-up runs), it prints ``<name>: timed out after <limit> s`` and returns ``None``.
"""

import asyncio


async def slow_job(name, seconds):
    """Print ``<name>: started``, wait ``seconds``, print ``<name>: finished``, return ``"<name> result"``;
    print ``<name>: cleaned up`` at the end in every case, also when cancelled."""
    print(f"{name}: started")
    try:
        await asyncio.sleep(seconds)
        print(f"{name}: finished")
        return f"{name} result"
    finally:
        print(f"{name}: cleaned up")


async def run_with_timeout(name, seconds, limit):
    """Run ``slow_job(name, seconds)`` for at most ``limit`` seconds: its result, or ``None`` after printing
    ``<name>: timed out after <limit> s``."""
    # wait_for, or equally `async with asyncio.timeout(limit):` around the await: both cancel the job at the
    # same moment (tests/catalogue/coroutines/timeout_cancel/correct/ has the other).
    try:
        return await asyncio.wait_for(slow_job(name, seconds), limit)
    except TimeoutError:  # what wait_for raises when the limit passes (asyncio.TimeoutError is the same class)
        print(f"{name}: timed out after {limit} s")
        return None


async def main():
    print(await run_with_timeout("quick", 1, limit=2))
    print(await run_with_timeout("slow", 5, limit=2))


if __name__ == "__main__":
    asyncio.run(main())
