"""Creates the semaphore with limit + 1 permits: one job too many runs at once."""
# expect-fail: in_flight, timing
# expect-message: the reference never runs more than
import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"



async def run_limited(jobs, limit):
    semaphore = asyncio.Semaphore(limit + 1)

    async def limited(name, seconds):
        async with semaphore:
            return await job(name, seconds)

    return list(await asyncio.gather(*(limited(name, seconds) for name, seconds in jobs)))
