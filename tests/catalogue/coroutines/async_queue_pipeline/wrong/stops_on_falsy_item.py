"""Consumers loop `while item := await queue.get()`, meant to stop on a None sentinel: the item 0 stops a
consumer too, before its task_done(), so queue.join() never returns."""
# expect-fail: runs, returns
# expect-message: with items [0] and 1 worker, pipeline() never returned

import asyncio


async def process(item):
    await asyncio.sleep(2 if item % 3 == 0 else 1)
    return item * item


async def pipeline(items, workers):
    queue = asyncio.Queue()
    results = {}

    async def consumer():
        while item := await queue.get():
            print(f"start {item}")
            results[item] = await process(item)
            print(f"done {item} -> {results[item]}")
            queue.task_done()

    tasks = [asyncio.create_task(consumer()) for _ in range(workers)]
    for item in items:
        await asyncio.sleep(0.5)
        await queue.put(item)
        print(f"queued {item}")
    await queue.join()
    for _ in tasks:
        await queue.put(None)
    await asyncio.gather(*tasks)
    return [results[item] for item in items]
