"""Runs the producer to the end before starting any consumer: nothing is processed while items are produced."""
# expect-fail: timing
# expect-message: is due at
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
    await producer(queue, items)
    consumers = [asyncio.create_task(consumer(queue, results)) for _ in range(workers)]
    await queue.join()
    for task in consumers:
        task.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    return [results[item] for item in items]
