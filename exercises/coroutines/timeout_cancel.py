"""Give up on slow work: timeouts, cancellation and clean-up.

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

The lesson
    ``async with asyncio.timeout(limit):`` around an ``await`` (Python 3.11+), or
    ``await asyncio.wait_for(coro, limit)``, cancels the awaited work when the time is up and raises
    ``TimeoutError`` (``asyncio.TimeoutError`` before 3.11) where you can catch it.
    Cancelling a task throws ``asyncio.CancelledError`` into it at the ``await`` where it waits: code after
    that ``await`` never runs, but a ``finally:`` block does, so clean-up belongs there.  Never swallow
    ``CancelledError`` (an ``except`` that does not re-raise it): the task would carry on as if nothing had
    happened, and a caller who cancels you would get a value back.  It is a ``BaseException``, not an
    ``Exception``: ``except Exception:`` catches every failure and leaves cancellations alone, while
    ``except BaseException:`` or ``except (asyncio.CancelledError, TimeoutError):`` catch the caller's too.
    ``asyncio.wait(..., timeout=...)`` only stops *waiting*: the work goes on unless you cancel it,
    and a task you cancel has stopped only once you have awaited it.
    Docs: https://docs.python.org/3/library/asyncio-task.html#timeouts and
    https://docs.python.org/3/library/asyncio-task.html#task-cancellation

Check your work:  course check coroutines/timeout_cancel   (or: pytest exercises/coroutines/timeout_cancel.py)
Run it and watch:  python exercises/coroutines/timeout_cancel.py
"""

import asyncio


async def slow_job(name, seconds):
    """Print ``<name>: started``, wait ``seconds``, print ``<name>: finished``, return ``"<name> result"``;
    print ``<name>: cleaned up`` at the end in every case, also when cancelled."""
    # TODO: print the start line, then in a try: block await asyncio.sleep(seconds), print the finished line and
    #       return the result; print the clean-up line in the finally: block
    raise NotImplementedError("slow_job(): start, sleep, finish, and clean up in a finally: block")


async def run_with_timeout(name, seconds, limit):
    """Run ``slow_job(name, seconds)`` for at most ``limit`` seconds: its result, or ``None`` after printing
    ``<name>: timed out after <limit> s`` (or ``<name>: failed with <error type>``); a cancellation from the
    caller goes on to the caller."""
    # TODO: await slow_job(name, seconds) inside `async with asyncio.timeout(limit):` (or use asyncio.wait_for);
    #       on TimeoutError print the timed-out line and return None; on any other Exception print the failed
    #       line and return None; let a CancelledError go on
    raise NotImplementedError("run_with_timeout(): await the job under asyncio.timeout(limit), handle TimeoutError")


async def main():
    print(await run_with_timeout("quick", 1, limit=2))
    print(await run_with_timeout("slow", 5, limit=2))


if __name__ == "__main__":
    asyncio.run(main())
