"""Uses the blocking time.sleep in fetch: the event loop freezes and the fetches run one after the other."""
# expect-fail: runs, elapsed
# expect-message: blocks the whole event loop

import asyncio
import time


async def fetch(name, delay):
    time.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()


async def fetch_all(jobs):
    return list(await asyncio.gather(*(fetch(name, delay) for name, delay in jobs)))
