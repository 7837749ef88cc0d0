"""acquire() and release() in try/finally instead of async with, on a BoundedSemaphore."""
import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"



async def run_limited(jobs, limit):
    semaphore = asyncio.BoundedSemaphore(limit)

    async def limited(name, seconds):
        await semaphore.acquire()
        try:
            return await job(name, seconds)
        finally:
            semaphore.release()

    tasks = [asyncio.create_task(limited(name, seconds)) for name, seconds in jobs]
    return [await t for t in tasks]
