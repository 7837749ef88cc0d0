"""slow_job waits through a helper coroutine of its own: the cancellation interrupts the helper, inside slow_job."""
import asyncio


async def pause(seconds):
    await asyncio.sleep(seconds)


async def slow_job(name, seconds):
    print(f"{name}: started")
    try:
        await pause(seconds)
        print(f"{name}: finished")
        return f"{name} result"
    finally:
        print(f"{name}: cleaned up")


async def run_with_timeout(name, seconds, limit):
    try:
        return await asyncio.wait_for(slow_job(name, seconds), limit)
    except asyncio.TimeoutError:
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
