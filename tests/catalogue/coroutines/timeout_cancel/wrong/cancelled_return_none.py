"""Turns a cancellation into a quiet `return None`: the time limit works (asyncio.timeout raises TimeoutError
outside), but the caller who cancels gets None back instead of its CancelledError."""
# expect-fail: cancellation, returns
# expect-message: returned as if nothing had happened

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
    except TimeoutError:
        print(f"{name}: timed out after {limit} s")
        return None
    except asyncio.CancelledError:
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
