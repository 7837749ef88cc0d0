"""Awaits each to_thread call in turn: the loop stays free, but the reads run one after the other."""
# expect-fail: elapsed, timing
# expect-message: added up instead of overlapping
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
    return [await asyncio.to_thread(blocking_read, name, seconds) for name, seconds in requests]
