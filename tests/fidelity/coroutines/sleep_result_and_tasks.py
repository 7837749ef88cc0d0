"""create_task and sleep(delay, result); a done callback; tasks awaited in another order than created."""

import asyncio


async def main():
    first = asyncio.create_task(asyncio.sleep(0.6, result="six"))
    second = asyncio.create_task(asyncio.sleep(0.2, result="two"))
    second.add_done_callback(lambda t: print("callback:", t.result()))
    print(await second)
    print("first done yet:", first.done())
    print(await first)
    print("tasks left:", len(asyncio.all_tasks()))
