"""A task, asyncio.wait with a timeout, then cancel the task and await it until it has cleaned up."""

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
    done, _ = await asyncio.wait({task}, timeout=limit)
    if task in done:
        return task.result()
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    print(f"{name}: timed out after {limit} s")
    return None
