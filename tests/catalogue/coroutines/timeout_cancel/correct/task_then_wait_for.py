"""A task for the job, then `await asyncio.wait_for(task, limit)`: the same verdict on 3.11, 3.12 and 3.13 (from 3.12
wait_for cancels the caller, which hands the cancellation on to the task it awaits)."""

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
    task = asyncio.create_task(slow_job(name, seconds))
    try:
        return await asyncio.wait_for(task, limit)
    except TimeoutError:
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
