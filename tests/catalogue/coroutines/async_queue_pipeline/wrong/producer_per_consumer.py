"""Starts a producer next to each consumer, so every item is queued and processed once per worker."""
# expect-fail: processed_once
# expect-message: In scenario 5 (items [9, 9, 9] and 2 workers), item 9 was processed 6 times instead of 3
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
    consumers = [asyncio.create_task(consumer(queue, results)) for _ in range(workers)]
    await asyncio.gather(*(producer(queue, items) for _ in range(workers)))
    await queue.join()
    for task in consumers:
        task.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    return [results[item] for item in items]
