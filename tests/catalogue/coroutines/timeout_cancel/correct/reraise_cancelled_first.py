"""wait_for, with the handlers in the order of the lesson: a CancelledError (the caller's) is re-raised first, so
that the broad handler after it only ever sees failures."""

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
    except asyncio.CancelledError:
        raise
    except asyncio.TimeoutError:
        print(f"{name}: timed out after {limit} s")
    except BaseException as error:
        print(f"{name}: failed with {type(error).__name__}")
    return None
