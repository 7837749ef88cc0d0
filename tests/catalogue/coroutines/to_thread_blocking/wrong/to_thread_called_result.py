"""Writes to_thread(blocking_read(name, seconds)): the call runs right away on the loop, and its result is not a function."""
# expect-fail: responsive, runs
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
    return list(await asyncio.gather(*(asyncio.to_thread(blocking_read(name, seconds)) for name, seconds in requests)))
