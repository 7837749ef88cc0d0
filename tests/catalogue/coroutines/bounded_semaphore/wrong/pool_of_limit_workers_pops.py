"""A pool of `limit` workers, each popping jobs off the end of a shared list and appending its results: with
more than one job the results come back in completion order, reversed, not in the order of the jobs."""
# expect-fail: returns
# expect-message: with limit=1 and jobs a4 (1 s), b4 (2 s), c4 (1 s), run_limited() returned

import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"


async def run_limited(jobs, limit):
    todo = list(jobs)
    results = []

    async def worker():
        while todo:
            name, seconds = todo.pop()
            results.append(await job(name, seconds))

    await asyncio.gather(*(worker() for _ in range(limit)))
    return results
