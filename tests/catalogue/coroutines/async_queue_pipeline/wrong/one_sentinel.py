"""Sends a single None sentinel for several consumers: the others wait for an item forever."""
# expect-fail: runs
# expect-message: deadlock
import asyncio


async def process(item):
    await asyncio.sleep(2 if item % 3 == 0 else 1)
    return item * item


async def producer(queue, items):
    for item in items:
        await asyncio.sleep(0.5)
        await queue.put(item)
        print(f"queued {item}")



async def consumer(queue, results):
    while True:
        item = await queue.get()
        if item is None:
            queue.task_done()
            return
        print(f"start {item}")
        result = await process(item)
        results[item] = result
        print(f"done {item} -> {result}")
        queue.task_done()


async def pipeline(items, workers):
    queue = asyncio.Queue()
    results = {}
    consumers = [asyncio.create_task(consumer(queue, results)) for _ in range(workers)]
    await producer(queue, items)
    await queue.put(None)
    await asyncio.gather(*consumers)
    return [results[item] for item in items]
