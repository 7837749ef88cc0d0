"""The older tutorial shape: a new event loop driven by run_until_complete, then asyncio.Runner (3.11+)."""

import asyncio
import time


async def countdown(name, n):
    for i in range(n, 0, -1):
        await asyncio.sleep(0.2)
        print(name, i)
    return name


async def both():
    return await asyncio.gather(countdown("a", 2), countdown("b", 3))


def main():
    start = time.monotonic()
    loop = asyncio.new_event_loop()
    try:
        print(loop.run_until_complete(both()))
    finally:
        loop.close()
    with asyncio.Runner() as runner:
        print(runner.run(countdown("c", 2)))
    print(f"{time.monotonic() - start:.1f} s")
