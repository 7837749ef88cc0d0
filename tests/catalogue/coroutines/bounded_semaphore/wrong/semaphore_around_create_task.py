"""Holds the semaphore only while creating each task: creating is instant, so every job starts at once."""
# expect-fail: in_flight
# expect-message: jobs were running at once

import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"


async def run_limited(jobs, limit):
    semaphore = asyncio.Semaphore(limit)
    tasks = []
    for name, seconds in jobs:
        async with semaphore:
            tasks.append(asyncio.create_task(job(name, seconds)))
    return [await task for task in tasks]


async def main():
    print(await run_limited([("a", 3), ("b", 1), ("c", 2), ("d", 1)], limit=2))
