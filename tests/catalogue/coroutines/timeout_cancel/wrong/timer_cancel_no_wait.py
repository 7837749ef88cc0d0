"""Arms a timer that cancels the job at the limit, stops waiting at the same moment, and returns without waiting for
the job to clean up: "timed out" comes before the clean-up."""
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
    asyncio.get_running_loop().call_later(limit, task.cancel)
    done, _ = await asyncio.wait({task}, timeout=limit)
    if task in done and not task.cancelled():
        try:
            return task.result()
        except Exception as error:
            print(f"{name}: failed with {type(error).__name__}")
            return None
    print(f"{name}: timed out after {limit} s")
    return None
