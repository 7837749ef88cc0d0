"""Wall-clock prints in asyncio: datetime.now(), time.time() and loop.time() move with the sleeps."""

import asyncio
import time
from datetime import UTC, datetime


async def stamp(label, delay, start):
    await asyncio.sleep(delay)
    print(label, f"{(datetime.now(UTC) - start).total_seconds():.1f}")


async def main():
    loop = asyncio.get_running_loop()
    start, t0, l0 = datetime.now(UTC), time.time(), loop.time()
    await asyncio.gather(stamp("later", 0.6, start), stamp("sooner", 0.3, start))
    print("time()", round(time.time() - t0, 1), "loop.time()", round(loop.time() - l0, 1))
    print("timestamp", round(datetime.now().timestamp() - t0, 1), "utc",
          round((datetime.now(UTC).timestamp() - t0), 1))
