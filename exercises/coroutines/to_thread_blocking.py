"""Blocking code in async programs: asyncio.to_thread.

``blocking_read(name, seconds)`` (given) stands for a library call with no async version (a file read, an old
database driver): it blocks its thread for ``seconds`` with ``time.sleep``, prints ``read <name>`` and returns
``"<name>: <seconds> s of data"``.  ``heartbeat(beats)`` (given) prints ``heartbeat 1``, ``heartbeat 2``... every
0.5 s: it shows whether the event loop is free.  Write ``read_all(requests)``: for every ``(name, seconds)`` call
``blocking_read(name, seconds)`` *in a worker thread*, all at the same time, and return the results in the order
of ``requests``.  While the reads run, the heartbeat must keep its schedule.

The lesson
    The event loop runs on one thread.  A blocking call inside a coroutine (``time.sleep``, ``requests.get``,
    a slow C function) stops that thread, so *no* task runs until it returns: the heartbeat stalls, timeouts
    fire late.  ``await asyncio.to_thread(f, *args)`` runs ``f(*args)`` in a thread of the loop's executor and
    lets the loop run other tasks while it waits; gather several of them to run them at the same time.  Pass the
    function and its arguments separately: ``to_thread(f(x))`` would call ``f`` right away, on the loop.
    Docs: https://docs.python.org/3/library/asyncio-task.html#running-in-threads

Check your work:  course check coroutines/to_thread_blocking   (or: pytest exercises/coroutines/to_thread_blocking.py)
Run it and watch:  python exercises/coroutines/to_thread_blocking.py
"""

import asyncio
import time


def blocking_read(name, seconds):
    """Given: a blocking call (no await possible inside)."""
    time.sleep(seconds)
    print(f"read {name}")
    return f"{name}: {seconds} s of data"


async def heartbeat(beats):
    """Given: print ``heartbeat <i>`` every 0.5 s, ``beats`` times."""
    for i in range(1, beats + 1):
        await asyncio.sleep(0.5)
        print(f"heartbeat {i}")


async def read_all(requests):
    """Run ``blocking_read(name, seconds)`` for every ``(name, seconds)`` in ``requests``, each in a thread, all
    at the same time; return the results in the order of ``requests``."""
    # TODO: one asyncio.to_thread(blocking_read, name, seconds) per request, all awaited together with
    #       asyncio.gather; return the list of results
    raise NotImplementedError("read_all(): run each blocking_read with asyncio.to_thread, all at once (gather)")


async def main():
    beat = asyncio.create_task(heartbeat(5))
    print(await read_all([("disk", 2), ("network", 3), ("db", 1)]))
    await beat


if __name__ == "__main__":
    asyncio.run(main())
