"""Returns the coroutine objects themselves: nothing is ever awaited, so nothing runs."""
# expect-fail: output, returns
# expect-message: coroutine object

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()



async def fetch_all(jobs):
    return [fetch(name, delay) for name, delay in jobs]
