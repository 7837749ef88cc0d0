"""Gathers every job with no limit at all: all of them run at once."""
# expect-fail: in_flight, timing
# expect-message: the reference never runs more than
import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"



async def run_limited(jobs, limit):
    return list(await asyncio.gather(*(job(name, seconds) for name, seconds in jobs)))
