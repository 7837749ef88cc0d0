"""asyncio.timeout_at with an absolute deadline; the job catches CancelledError to clean up and re-raises."""
import asyncio


async def slow_job(name, seconds):
    print(f"{name}: started")
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(f"{name}: cleaned up")
        raise
    print(f"{name}: finished")
    print(f"{name}: cleaned up")
    return f"{name} result"


async def run_with_timeout(name, seconds, limit):
    deadline = asyncio.get_running_loop().time() + limit
    try:
        async with asyncio.timeout_at(deadline):
            result = await slow_job(name, seconds)
    except TimeoutError:
        print(f"{name}: timed out after {limit} s")
        result = None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        result = None
    return result
