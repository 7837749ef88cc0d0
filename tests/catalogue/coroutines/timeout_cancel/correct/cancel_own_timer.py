"""Races the job against a timer task of its own; whichever loses is cancelled (and awaited).  Cancelling one's own
timer task is no wrong cancellation: the job's work is not interrupted.  If our caller cancels us while we wait,
the finally: block cancels both and waits for them before the CancelledError goes on."""

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
    timer = asyncio.create_task(asyncio.sleep(limit))
    try:
        done, _ = await asyncio.wait([job, timer], return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (job, timer):
            if not task.done():
                task.cancel()
        await asyncio.gather(job, timer, return_exceptions=True)
    if job in done and not job.cancelled():
        if job.exception() is not None:
            print(f"{name}: failed with {type(job.exception()).__name__}")
            return None
        return job.result()
    print(f"{name}: timed out after {limit} s")
    return None


async def main():
    print(await run_with_timeout("quick", 1, limit=2))
    print(await run_with_timeout("slow", 5, limit=2))


if __name__ == "__main__":
    asyncio.run(main())
