"""Reports a failure of any type with `except BaseException`: that catches the CancelledError of a caller who
cancels too, which is then reported as a failure and swallowed."""
# expect-fail: cancellation, returns
# expect-message: caught the CancelledError

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
        return await asyncio.wait_for(slow_job(name, seconds), limit)
    except TimeoutError:
        print(f"{name}: timed out after {limit} s")
        return None
    except BaseException as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
