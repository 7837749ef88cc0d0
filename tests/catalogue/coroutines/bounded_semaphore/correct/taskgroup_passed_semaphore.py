"""The semaphore passed as an argument, jobs started in a TaskGroup."""
import asyncio


async def job(name, seconds):
    print(f"job {name} starts")
    await asyncio.sleep(seconds)
    print(f"job {name} done")
    return f"{name} ok"



async def limited(semaphore, name, seconds):
    async with semaphore:
        return await job(name, seconds)


async def run_limited(jobs, limit):
    semaphore = asyncio.Semaphore(limit)
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(limited(semaphore, name, seconds)) for name, seconds in jobs]
    return [t.result() for t in tasks]
