"""Shields the job and cancels it itself when the time is up: the limit works, but the shield also keeps the
caller's cancellation from the job, which runs on after run_with_timeout has been cancelled."""
# expect-fail: cancellation
# expect-message: should be cancelled with it

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
    job = asyncio.create_task(slow_job(name, seconds))
    try:
        async with asyncio.timeout(limit):
            return await asyncio.shield(job)
    except TimeoutError:
        job.cancel()
        try:
            await job
        except asyncio.CancelledError:
            pass
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
