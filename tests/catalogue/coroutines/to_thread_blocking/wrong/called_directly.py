"""Calls the blocking function directly inside the coroutine: the event loop stops while it sleeps."""
# expect-fail: responsive, runs, elapsed
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



async def read_all(requests):
    return [blocking_read(name, seconds) for name, seconds in requests]
