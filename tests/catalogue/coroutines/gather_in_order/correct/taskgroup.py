"""A TaskGroup waits for all of its tasks; read the results afterwards, in job order."""

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()



async def fetch_all(jobs):
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(fetch(name, delay)) for name, delay in jobs]
    return [task.result() for task in tasks]
