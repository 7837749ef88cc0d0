"""A task, asyncio.wait with a timeout, then cancel the task and await it until it has cleaned up; a cancellation
from our caller while we wait cancels the job the same way, then goes on."""

import asyncio


async def slow_job(name, seconds):
    print(f"{name}: started")
    try:
        await asyncio.sleep(seconds)
        print(f"{name}: finished")
        return f"{name} result"
    finally:
        print(f"{name}: cleaned up")


async def stop(task):
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


async def run_with_timeout(name, seconds, limit):
    task = asyncio.create_task(slow_job(name, seconds))
    try:
        done, _ = await asyncio.wait({task}, timeout=limit)
    except asyncio.CancelledError:
        await stop(task)
        raise
    if task in done:
        try:
            return task.result()
        except Exception as error:
            print(f"{name}: failed with {type(error).__name__}")
            return None
    await stop(task)
    print(f"{name}: timed out after {limit} s")
    return None
