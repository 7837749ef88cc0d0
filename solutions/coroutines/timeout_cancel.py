"""Give up on slow work: timeouts, cancellation and clean-up (reference solution).

Write two coroutines.  ``slow_job(name, seconds)`` prints ``<name>: started``, waits ``seconds``, prints
``<name>: finished`` and returns ``"<name> result"``; whatever happens (also when it is cancelled half-way) it
prints ``<name>: cleaned up`` last.  ``run_with_timeout(name, seconds, limit)`` runs ``slow_job(name, seconds)``
but gives up after ``limit`` seconds:

- the job finished in time: return its result;
- the time ran out: the job is cancelled (its clean-up runs), print ``<name>: timed out after <limit> s`` and
  return ``None``;
- the job failed with any exception (any ``Exception``, whatever its type): print
  ``<name>: failed with <type of the exception>`` (``x: failed with ValueError``) and return ``None``;
- the caller cancelled ``run_with_timeout`` while it waited (``task.cancel()`` on the task awaiting it): the
  job is cancelled too (its clean-up runs) and the ``CancelledError`` goes on to the caller: nothing printed,
  nothing returned.

(The grader also runs ``run_with_timeout`` with jobs of its own that fail, put in place of ``slow_job``: so call
the job as ``slow_job(name, seconds)``, by its name.)
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
    ``<name>: timed out after <limit> s`` (or ``<name>: failed with <error type>``); a cancellation from the
    caller goes on to the caller."""
    # wait_for, or equally `async with asyncio.timeout(limit):` around the await: both cancel the job at the
    # same moment (tests/catalogue/coroutines/timeout_cancel/correct/ has the other).
    try:
        return await asyncio.wait_for(slow_job(name, seconds), limit)
    except TimeoutError:  # what wait_for raises when the limit passes (asyncio.TimeoutError is the same class)
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:  # noqa: BLE001 - any failure of the job; CancelledError is no Exception: it goes on
        print(f"{name}: failed with {type(error).__name__}")
        return None


async def main():
    print(await run_with_timeout("quick", 1, limit=2))
    print(await run_with_timeout("slow", 5, limit=2))


if __name__ == "__main__":
    asyncio.run(main())
