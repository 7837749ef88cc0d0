"""An executor of its own with enough threads, shut down afterwards, and functools.partial."""
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


import functools
from concurrent.futures import ThreadPoolExecutor


async def read_all(requests):
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=max(1, len(requests))) as pool:
        calls = [loop.run_in_executor(pool, functools.partial(blocking_read, name, seconds)) for name, seconds in requests]
        return list(await asyncio.gather(*calls))
