"""Acquires the semaphore but never releases it: once limit jobs are done nobody can start again."""
# expect-fail: runs
# expect-message: deadlock
import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"



async def run_limited(jobs, limit):
    semaphore = asyncio.Semaphore(limit)

    async def limited(name, seconds):
        await semaphore.acquire()
        return await job(name, seconds)

    return list(await asyncio.gather(*(limited(name, seconds) for name, seconds in jobs)))
