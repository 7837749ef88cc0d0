"""Races the job against a timer task of its own; whichever loses is cancelled (and awaited).  Cancelling one's own
timer task is no wrong cancellation: the job's work is not interrupted."""

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
    done, _ = await asyncio.wait([job, timer], return_when=asyncio.FIRST_COMPLETED)
    if job in done:
        timer.cancel()
        try:
            await timer
        except asyncio.CancelledError:
            pass
        return job.result()
    job.cancel()
    try:
        await job
    except asyncio.CancelledError:
        pass
    print(f"{name}: timed out after {limit} s")
    return None


async def main():
    print(await run_with_timeout("quick", 1, limit=2))
    print(await run_with_timeout("slow", 5, limit=2))


if __name__ == "__main__":
    asyncio.run(main())
