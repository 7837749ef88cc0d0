"""Cancels the job when its time is up but never awaits it: "timed out" is printed before the job has cleaned up."""
# expect-fail: order
# expect-message: cleaned up

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
        try:
            return task.result()
        except Exception as error:
            print(f"{name}: failed with {type(error).__name__}")
            return None
    task.cancel()
    print(f"{name}: timed out after {limit} s")
    return None
