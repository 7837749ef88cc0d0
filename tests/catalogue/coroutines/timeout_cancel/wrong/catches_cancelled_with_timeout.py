"""Catches CancelledError together with TimeoutError: right whenever the time runs out, but a cancellation from
the caller is taken for a timeout, printed as one, and swallowed (run_with_timeout returns None)."""
# expect-fail: cancellation, returns
# expect-message: the caller cancelled

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
    except (asyncio.CancelledError, TimeoutError):
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
