"""Passes the list to gather without the star: gather sees one unhashable list instead of coroutines."""
# expect-fail: runs
# expect-message: was never awaited

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()



async def fetch_all(jobs):
    return await asyncio.gather([fetch(name, delay) for name, delay in jobs])
