"""Catches asyncio.CancelledError where the timeout raises TimeoutError: the TimeoutError lands in the handler of
failures, and a job that ran out of time is reported as a failed one."""
# expect-fail: output
# expect-message: timed out after

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
        async with asyncio.timeout(limit):
            return await slow_job(name, seconds)
    except asyncio.CancelledError:
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
