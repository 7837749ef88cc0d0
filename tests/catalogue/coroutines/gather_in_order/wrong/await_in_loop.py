"""Awaits each fetch in turn: the waits add up (6 s instead of 3 s) instead of overlapping."""
# expect-fail: elapsed, timing
# expect-message: added up instead of overlapping

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()



async def fetch_all(jobs):
    return [await fetch(name, delay) for name, delay in jobs]
