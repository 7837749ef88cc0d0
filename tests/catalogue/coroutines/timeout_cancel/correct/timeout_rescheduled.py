"""asyncio.timeout(None), rescheduled to the deadline; the failure handler sits inside the `async with` (a
CancelledError is no Exception, so it passes through to the timeout), and expired() tells a timeout apart."""

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
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(None) as deadline:
            deadline.reschedule(loop.time() + limit)
            try:
                return await slow_job(name, seconds)
            except Exception as error:
                print(f"{name}: failed with {type(error).__name__}")
                return None
    except TimeoutError:
        if not deadline.expired():
            raise
        print(f"{name}: timed out after {limit} s")
        return None
