"""Cancels the job at its limit and yields once (sleep(0)) instead of awaiting it: its clean-up happens to run
in that one turn of the loop, so the order is right only by the loop's turn order."""
# expect-fail: order
# expect-message: without waiting for it to finish

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
        done, _ = await asyncio.wait([job], timeout=limit)
    except asyncio.CancelledError:  # our caller cancels: stop the job, wait for it, and let the error go on
        job.cancel()
        await asyncio.wait([job])
        raise
    if done:
        try:
            return job.result()
        except Exception as error:
            print(f"{name}: failed with {type(error).__name__}")
            return None
    job.cancel()
    await asyncio.sleep(0)
    print(f"{name}: timed out after {limit} s")
    return None


async def main():
    print(await run_with_timeout("quick", 1, limit=2))
    print(await run_with_timeout("slow", 5, limit=2))


if __name__ == "__main__":
    asyncio.run(main())
