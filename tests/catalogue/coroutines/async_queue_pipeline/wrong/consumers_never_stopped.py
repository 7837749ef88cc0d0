"""Joins the queue but never stops the consumers: they are still pending, waiting on get(), when main() returns."""
# expect-fail: join
# expect-message: still pending when main() returned
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
        print(f"start {item}")
        result = await process(item)
        results[item] = result
        print(f"done {item} -> {result}")
        queue.task_done()



async def pipeline(items, workers):
    queue = asyncio.Queue()
    results = {}
    for _ in range(workers):
        asyncio.create_task(consumer(queue, results))
    await producer(queue, items)
    await queue.join()
    return [results[item] for item in items]
