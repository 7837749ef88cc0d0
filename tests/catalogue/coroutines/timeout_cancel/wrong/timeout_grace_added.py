"""Adds a second of grace to the limit in asyncio.timeout(): the slow job is cancelled late, not when its time is up."""
# expect-fail: cancellation, timing
# expect-message: give the timeout the time limit itself

import asyncio

GRACE = 1


async def slow_job(name, seconds):
    print(f"{name}: started")
    try:
        await asyncio.sleep(seconds)
        print(f"{name}: finished")
        return f"{name} result"
    finally:
        print(f"{name}: cleaned up")


async def run_with_timeout(name, seconds, limit):
    try:
        async with asyncio.timeout(limit + GRACE):
            return await slow_job(name, seconds)
    except TimeoutError:
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None


async def main():
    print(await run_with_timeout("quick", 1, limit=2))
    print(await run_with_timeout("slow", 5, limit=2))
