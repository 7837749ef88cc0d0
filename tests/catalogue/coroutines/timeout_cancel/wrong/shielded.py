"""Shields the job from the timeout: wait_for gives up, but the shielded job is never cancelled (neither by the
timeout nor by the caller)."""
# expect-fail: cancellation
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
    try:
        return await asyncio.wait_for(asyncio.shield(slow_job(name, seconds)), limit)
    except TimeoutError:
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
