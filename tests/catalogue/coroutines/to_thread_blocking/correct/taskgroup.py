"""One task per to_thread call in a TaskGroup; results read in request order."""
import asyncio
import time


def blocking_read(name, seconds):
    time.sleep(seconds)
    print(f"read {name}")
    return f"{name}: {seconds} s of data"


async def heartbeat(beats):
    for i in range(1, beats + 1):
        await asyncio.sleep(0.5)
        print(f"heartbeat {i}")



async def read_all(requests):
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(asyncio.to_thread(blocking_read, name, seconds)) for name, seconds in requests]
    return [t.result() for t in tasks]
