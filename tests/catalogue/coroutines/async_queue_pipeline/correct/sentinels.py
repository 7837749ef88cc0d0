"""One None sentinel per consumer; each consumer returns when it gets one; gather the consumers."""
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
    while (item := await queue.get()) is not None:
        print(f"start {item}")
        results[item] = result = await process(item)
        print(f"done {item} -> {result}")
        queue.task_done()
    queue.task_done()


async def pipeline(items, workers):
    queue = asyncio.Queue()
    results = {}
    consumers = [asyncio.create_task(consumer(queue, results)) for _ in range(workers)]
    await producer(queue, items)
    for _ in consumers:
        await queue.put(None)
    await asyncio.gather(*consumers)
    return [results[item] for item in items]
