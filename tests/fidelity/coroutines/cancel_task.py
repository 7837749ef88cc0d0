"""Task.cancel(): the task sees CancelledError at its await, runs its finally, and is cancelled."""

import asyncio


async def long_job():
    try:
        while True:
            await asyncio.sleep(0.3)
            print("working")
    finally:
        print("cleaning up")


async def main():
    task = asyncio.create_task(long_job())
    await asyncio.sleep(1.0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("cancelled:", task.cancelled())
