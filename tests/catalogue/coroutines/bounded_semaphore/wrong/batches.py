"""Runs the jobs in fixed batches of limit: a free place waits for the slowest job of the batch."""
# expect-fail: timing
# expect-message: it is due at
import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"



async def run_limited(jobs, limit):
    results = []
    for i in range(0, len(jobs), limit):
        batch = jobs[i:i + limit]
        results += await asyncio.gather(*(job(name, seconds) for name, seconds in batch))
    return results
