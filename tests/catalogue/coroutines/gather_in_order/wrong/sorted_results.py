"""Sorts the results, as if the order did not matter: they must follow the order of the jobs."""
# expect-fail: returns
# expect-message: fetch_all() returned

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()



async def fetch_all(jobs):
    return sorted(await asyncio.gather(*(fetch(name, delay) for name, delay in jobs)))
