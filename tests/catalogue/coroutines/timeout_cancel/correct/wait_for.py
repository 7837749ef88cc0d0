"""asyncio.wait_for instead of asyncio.timeout."""

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
        return await asyncio.wait_for(slow_job(name, seconds), timeout=limit)
    except asyncio.TimeoutError:
        print(f"{name}: timed out after {limit} s")
        return None
