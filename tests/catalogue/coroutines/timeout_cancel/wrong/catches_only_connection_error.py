"""A job run as a task, its failures caught as ConnectionError only (the failure a network job would have): any
other exception escapes run_with_timeout."""
# expect-fail: returns
# expect-message: raised KeyError

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
    job = asyncio.create_task(slow_job(name, seconds))
    try:
        return await asyncio.wait_for(job, limit)
    except TimeoutError:
        print(f"{name}: timed out after {limit} s")
    except ConnectionError as error:
        print(f"{name}: failed with {type(error).__name__}")
    return None
