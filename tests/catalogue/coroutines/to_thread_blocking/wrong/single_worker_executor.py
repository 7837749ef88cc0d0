"""Runs the reads in an executor with one worker thread: the loop is free, but the reads queue up behind each other."""
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


from concurrent.futures import ThreadPoolExecutor

EXECUTOR = ThreadPoolExecutor(max_workers=1)


async def read_all(requests):
    loop = asyncio.get_running_loop()
    return list(await asyncio.gather(*(loop.run_in_executor(EXECUTOR, blocking_read, name, seconds)
                                       for name, seconds in requests)))
