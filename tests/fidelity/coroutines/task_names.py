"""Task names: given, default, and current_task() inside a task."""

import asyncio


async def job(delay):
    await asyncio.sleep(delay)
    print("running in", asyncio.current_task().get_name())


async def main():
    named = asyncio.create_task(job(0.2), name="fetcher")
    anonymous = asyncio.create_task(job(0.1))
    print("main task:", asyncio.current_task().get_name())
    print("default name pattern:", anonymous.get_name().startswith("Task-"))
    await asyncio.gather(named, anonymous)
