"""asyncio.wait with a timeout, then cancel and await the job: right when the time runs out, but when the caller
cancels run_with_timeout the CancelledError leaves asyncio.wait and the job runs on, never cancelled."""
# expect-fail: cancellation
# expect-message: should be cancelled with it

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
    done, _ = await asyncio.wait({task}, timeout=limit)
    if task in done:
        try:
            return task.result()
        except Exception as error:
            print(f"{name}: failed with {type(error).__name__}")
            return None
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    print(f"{name}: timed out after {limit} s")
    return None
