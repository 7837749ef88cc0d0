"""Forgets to await gather: returns the gathering future, and main() returns while the fetches still run."""
# expect-fail: join, returns
# expect-message: still pending when main() returned

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()



async def fetch_all(jobs):
    return asyncio.gather(*(fetch(name, delay) for name, delay in jobs))
