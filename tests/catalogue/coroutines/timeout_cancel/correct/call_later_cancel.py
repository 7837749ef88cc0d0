"""A timer of our own: loop.call_later(limit, task.cancel), then await the task (its CancelledError means the time
ran out); the timer is called off when the job finishes in time."""

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
    timer = asyncio.get_running_loop().call_later(limit, task.cancel)
    try:
        return await task
    except asyncio.CancelledError:
        if not task.cancelled():
            raise  # we ourselves were cancelled, not the job
        print(f"{name}: timed out after {limit} s")
        return None
    finally:
        timer.cancel()
