"""A timer of our own: loop.call_later(limit, ...) cancels the job and notes that the time ran out, so that a
CancelledError from our own caller is told apart from the timer's (task.cancelled() cannot tell: the caller's
cancellation reaches the job too); the timer is called off when the job finishes in time."""

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
    task = asyncio.create_task(slow_job(name, seconds))
    expired = []

    def expire():
        expired.append(True)
        task.cancel()

    timer = asyncio.get_running_loop().call_later(limit, expire)
    try:
        return await task
    except asyncio.CancelledError:
        if not expired:
            raise  # our caller cancelled us (and so the job): let it go on
        print(f"{name}: timed out after {limit} s")
        return None
    except Exception as error:
        print(f"{name}: failed with {type(error).__name__}")
        return None
    finally:
        timer.cancel()
