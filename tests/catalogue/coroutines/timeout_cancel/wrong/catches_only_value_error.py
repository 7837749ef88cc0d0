"""Reports only a ValueError as a failure, where the contract says any exception: a job that fails another way
makes run_with_timeout raise."""
# expect-fail: returns, output
# expect-message: raised KeyError

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
    except ValueError as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
