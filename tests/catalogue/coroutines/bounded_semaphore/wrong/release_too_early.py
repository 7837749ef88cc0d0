"""Takes the permit and gives it back before the job runs: the semaphore limits nothing."""
# expect-fail: in_flight
# expect-message: the reference never runs more than
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
            pass
        return await job(name, seconds)

    return list(await asyncio.gather(*(limited(name, seconds) for name, seconds in jobs)))
