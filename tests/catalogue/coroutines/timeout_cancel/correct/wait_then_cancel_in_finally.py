"""asyncio.wait with a timeout; a finally: block cancels the job if it is still running and waits until it has
stopped: the same clean-up whether the time ran out or the caller cancelled us."""

import asyncio


async def slow_job(name, seconds):
    print(f"{name}: started")
    try:
        await asyncio.sleep(seconds)
        print(f"{name}: finished")
        return f"{name} result"
    finally:
        print(f"{name}: cleaned up")



async def run_with_timeout(name, seconds, limit):
    job = asyncio.ensure_future(slow_job(name, seconds))
    try:
        await asyncio.wait([job], timeout=limit)
    finally:
        if not job.done():
            job.cancel()
            await asyncio.wait([job])
    if job.cancelled():
        print(f"{name}: timed out after {limit} s")
        return None
    if job.exception() is not None:
        print(f"{name}: failed with {type(job.exception()).__name__}")
        return None
    return job.result()
