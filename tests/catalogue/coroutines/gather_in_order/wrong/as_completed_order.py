"""Collects results with as_completed: they come in the order the fetches finish, not in input order."""
# expect-fail: returns
# expect-message: fetch_all() returned

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()



async def fetch_all(jobs):
    results = []
    for next_done in asyncio.as_completed([fetch(name, delay) for name, delay in jobs]):
        results.append(await next_done)
    return results
