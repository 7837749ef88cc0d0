"""A timer of its own (call_later(limit, task.cancel)), and task.cancelled() to tell whether the time ran out:
but a cancellation from the caller reaches the job too, so it looks like a timeout and is swallowed."""
# expect-fail: cancellation, returns
# expect-message: the caller cancelled

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
            raise
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
    finally:
        timer.cancel()
