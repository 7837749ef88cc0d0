"""as_completed, with each result put back in its place by index."""

import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()



async def fetch_all(jobs):
    results = [None] * len(jobs)

    async def fetch_into(i, name, delay):
        results[i] = await fetch(name, delay)

    for done in asyncio.as_completed([fetch_into(i, name, delay) for i, (name, delay) in enumerate(jobs)]):
        await done
    return results
