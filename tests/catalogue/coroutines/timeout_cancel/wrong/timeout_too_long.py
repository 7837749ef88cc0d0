"""Cancels a job with timeout after awaiting it with the wrong limit (seconds instead of limit)."""
# expect-fail: cancellation, returns
# expect-message: never was

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
    try:
        return await asyncio.wait_for(slow_job(name, seconds), seconds + 1)
    except TimeoutError:
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
