"""No semaphore: limit worker tasks take the next job from a shared iterator (the same schedule)."""
import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"



async def run_limited(jobs, limit):
    results = [None] * len(jobs)
    todo = iter(enumerate(jobs))

    async def worker():
        for i, (name, seconds) in todo:
            results[i] = await job(name, seconds)

    await asyncio.gather(*(worker() for _ in range(min(limit, len(jobs)))))
    return results
