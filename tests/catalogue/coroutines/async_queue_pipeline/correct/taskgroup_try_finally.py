"""task_done() in a finally block; consumers in a TaskGroup, cancelled after join()."""
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
        try:
            print(f"start {item}")
            results[item] = await process(item)
            print(f"done {item} -> {results[item]}")
        finally:
            queue.task_done()


async def pipeline(items, workers):
    queue = asyncio.Queue()
    results = {}
    async with asyncio.TaskGroup() as group:
        consumers = [group.create_task(consumer(queue, results)) for _ in range(workers)]
        await producer(queue, items)
        await queue.join()
        for task in consumers:
            task.cancel()
    return [results[item] for item in items]
