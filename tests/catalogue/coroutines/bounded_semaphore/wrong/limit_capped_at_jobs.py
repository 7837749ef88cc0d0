"""Believes the limit never exceeds three (the largest limit it was tried with): min(limit, 3) permits."""
# expect-fail: in_flight, timing
# expect-message: at most 3 jobs ran at the same time

import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"


async def run_limited(jobs, limit):
    semaphore = asyncio.Semaphore(min(limit, 3))

    async def one(name, seconds):
        async with semaphore:
            return await job(name, seconds)

    return list(await asyncio.gather(*(one(name, seconds) for name, seconds in jobs)))
