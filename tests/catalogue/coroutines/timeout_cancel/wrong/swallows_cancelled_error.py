"""Catches CancelledError in the job and returns: the cancellation is swallowed and the timeout is lost."""
# expect-fail: cancellation, output
# expect-message: caught the CancelledError
import asyncio


async def slow_job(name, seconds):
    print(f"{name}: started")
    try:
        await asyncio.sleep(seconds)
        print(f"{name}: finished")
        return f"{name} result"
    except asyncio.CancelledError:
        return None
    finally:
        print(f"{name}: cleaned up")


async def run_with_timeout(name, seconds, limit):
    try:
        return await asyncio.wait_for(slow_job(name, seconds), limit)
    except TimeoutError:
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
