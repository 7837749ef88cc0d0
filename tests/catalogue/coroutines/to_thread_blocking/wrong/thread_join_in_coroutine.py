"""Starts plain threads and join()s them inside the coroutine: join() blocks the event loop until they end."""
# expect-fail: responsive
# expect-message: blocks the event loop
import asyncio
import time


def blocking_read(name, seconds):
    time.sleep(seconds)
    print(f"read {name}")
    return f"{name}: {seconds} s of data"


async def heartbeat(beats):
    for i in range(1, beats + 1):
        await asyncio.sleep(0.5)
        print(f"heartbeat {i}")


import threading


async def read_all(requests):
    results = [None] * len(requests)

    def work(i, name, seconds):
        results[i] = blocking_read(name, seconds)

    threads = [threading.Thread(target=work, args=(i, name, seconds)) for i, (name, seconds) in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
