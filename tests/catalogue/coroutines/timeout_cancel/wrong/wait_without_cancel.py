"""Stops waiting with asyncio.wait(timeout=...) but never cancels the job: it goes on in the background
(and so it does when the caller cancels)."""
# expect-fail: cancellation, join
# expect-message: should be cancelled

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
        try:
            return task.result()
        except Exception as error:
            print(f"{name}: failed with {type(error).__name__}")
            return None
    print(f"{name}: timed out after {limit} s")
    return None
