"""Starts the jobs as tasks and waits with asyncio.wait(): with no jobs at all, asyncio.wait() raises
ValueError on the empty set instead of returning []."""
# expect-fail: returns
# expect-message: with limit=2 and no jobs, run_limited() raised valueerror

import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"


async def run_limited(jobs, limit):
    semaphore = asyncio.Semaphore(limit)

    async def one(name, seconds):
        async with semaphore:
            return await job(name, seconds)

    tasks = [asyncio.create_task(one(name, seconds)) for name, seconds in jobs]
    await asyncio.wait(tasks)
    return [t.result() for t in tasks]
