"""Collects results with as_completed, in the order the jobs finish instead of the order of jobs."""
# expect-fail: returns
# expect-message: run_limited() returned
import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"



async def run_limited(jobs, limit):
    semaphore = asyncio.Semaphore(limit)

    async def limited(name, seconds):
        async with semaphore:
            return await job(name, seconds)

    tasks = [asyncio.create_task(limited(name, seconds)) for name, seconds in jobs]
    return [await r for r in asyncio.as_completed(tasks)]
