"""Timing coroutines with each clock a tutorial might use: perf_counter, clock_gettime, datetime, loop.time()."""

import asyncio
import time
from datetime import datetime


async def timed(name, seconds):
    began = time.clock_gettime(time.CLOCK_MONOTONIC)
    await asyncio.sleep(seconds)
    print(f"{name}: {time.clock_gettime(time.CLOCK_MONOTONIC) - began:.1f} s")


async def main():
    loop = asyncio.get_running_loop()
    marks = (time.perf_counter(), time.clock_gettime_ns(time.CLOCK_REALTIME), datetime.now(), loop.time())
    await asyncio.gather(timed("short", 0.3), timed("long", 0.6))
    print(f"perf_counter {time.perf_counter() - marks[0]:.1f}",
          f"clock_gettime_ns {(time.clock_gettime_ns(time.CLOCK_REALTIME) - marks[1]) / 1e9:.1f}",
          f"datetime {(datetime.now() - marks[2]).total_seconds():.1f}", f"loop {loop.time() - marks[3]:.1f}")
