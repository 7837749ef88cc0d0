"""asyncio.gather: results in argument order, after the slowest coroutine."""

import asyncio
import time


async def brew(drink, seconds):
    print(f"start {drink}")
    await asyncio.sleep(seconds)
    print(f"{drink} ready")
    return drink


async def main():
    start = time.perf_counter()
    order = await asyncio.gather(brew("tea", 0.5), brew("coffee", 0.3), brew("cocoa", 0.7))
    print(order, f"in {time.perf_counter() - start:.1f} s")
