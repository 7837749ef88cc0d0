"""asyncio.wait on tasks, then results in the order the tasks were created."""

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()



async def fetch_all(jobs):
    tasks = [asyncio.create_task(fetch(name, delay)) for name, delay in jobs]
    if tasks:
        await asyncio.wait(tasks)
    return [t.result() for t in tasks]
