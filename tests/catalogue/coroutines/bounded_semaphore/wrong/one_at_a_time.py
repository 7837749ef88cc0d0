"""Awaits the jobs one after the other: never more than one runs, so the limit is never used."""
# expect-fail: in_flight, timing
# expect-message: at most 1 job ran
import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"



async def run_limited(jobs, limit):
    return [await job(name, seconds) for name, seconds in jobs]
