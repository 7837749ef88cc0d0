"""Unpacks exactly three jobs, the size of the exercise's example: any other number of jobs raises ValueError."""
# expect-fail: returns
# expect-message: with no jobs, fetch_all() raised valueerror

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()


async def fetch_all(jobs):
    first, second, third = jobs
    return list(await asyncio.gather(fetch(*first), fetch(*second), fetch(*third)))
