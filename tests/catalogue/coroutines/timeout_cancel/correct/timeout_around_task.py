"""A task for the job awaited inside `async with asyncio.timeout(limit)`: the timeout cancels this task, which hands
the cancellation on to the job it awaits, and the job cleans up before the TimeoutError reaches us."""

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
        async with asyncio.timeout(limit):
            return await job
    except TimeoutError:
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
