"""Each thread takes the next request by a shared counter, under a lock: every request is taken once."""

import asyncio
import threading
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
    results = [None] * len(requests)
    taken = 0
    lock = threading.Lock()

    def read_next():
        nonlocal taken
        with lock:
            i = taken
            taken += 1
        name, seconds = requests[i]
        results[i] = blocking_read(name, seconds)

    await asyncio.gather(*(asyncio.to_thread(read_next) for _ in requests))
    return results


async def main():
    beat = asyncio.create_task(heartbeat(5))
    print(await read_all([("disk", 2), ("network", 3), ("db", 1)]))
    await beat


if __name__ == "__main__":
    asyncio.run(main())
