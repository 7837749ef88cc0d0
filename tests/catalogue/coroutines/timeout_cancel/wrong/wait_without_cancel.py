"""Stops waiting with asyncio.wait(timeout=...) but never cancels the job: it goes on in the background."""
# expect-fail: cancellation, join
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
    task = asyncio.create_task(slow_job(name, seconds))
    done, _ = await asyncio.wait([task], timeout=limit)
    if task in done:
        return task.result()
    print(f"{name}: timed out after {limit} s")
    return None
