"""Cleans up after the sleep instead of in a finally: block, so a cancelled job never cleans up."""
# expect-fail: cancellation, output
# expect-message: finally
import asyncio


async def slow_job(name, seconds):
    print(f"{name}: started")
    await asyncio.sleep(seconds)
    print(f"{name}: finished")
    print(f"{name}: cleaned up")
    return f"{name} result"


async def run_with_timeout(name, seconds, limit):
    try:
        async with asyncio.timeout(limit):
            return await slow_job(name, seconds)
    except TimeoutError:
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
