"""Create a task per job, then await each task in order (they all run meanwhile)."""

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()



async def fetch_all(jobs):
    tasks = [asyncio.create_task(fetch(name, delay)) for name, delay in jobs]
    return [await task for task in tasks]
