"""Hard-codes the limit of the example in the exercise (2) instead of using the `limit` argument."""
# expect-fail: in_flight, timing
# expect-message: the reference runs 4 at once

import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"


async def run_limited(jobs, limit):
    semaphore = asyncio.Semaphore(2)

    async def one(name, seconds):
        async with semaphore:
            return await job(name, seconds)

    return list(await asyncio.gather(*(one(name, seconds) for name, seconds in jobs)))
