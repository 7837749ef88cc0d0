"""Awaits the whole job and only then compares the time taken with the limit: nothing is ever cancelled."""
# expect-fail: cancellation, timing
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
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        result = await slow_job(name, seconds)
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
    if loop.time() - start > limit:
        print(f"{name}: timed out after {limit} s")
        return None
    return result
