"""Creates the tasks but awaits only the first one, as if it were always the slowest: the results of the others
are read before they exist."""
# expect-fail: returns
# expect-message: fetch_all() raised InvalidStateError

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()



async def fetch_all(jobs):
    tasks = [asyncio.create_task(fetch(name, delay)) for name, delay in jobs]
    if tasks:
        await tasks[0]
    return [task.result() for task in tasks]
