"""Creates a new semaphore inside each job's wrapper, so every job has its own permit and nothing is limited."""
# expect-fail: in_flight
# expect-message: create one asyncio.Semaphore(limit), share it
import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"



async def run_limited(jobs, limit):
    async def limited(name, seconds):
        async with asyncio.Semaphore(limit):
            return await job(name, seconds)

    return list(await asyncio.gather(*(limited(name, seconds) for name, seconds in jobs)))
