"""A producer, a few consumers and an asyncio.Queue, shut down cleanly (reference solution).

``process(item)`` (given) is the work for one item (1 s, or 2 s for multiples of 3) and returns ``item * item``.
Write three coroutines:

- ``producer(queue, items)``: for each item, ``await asyncio.sleep(0.5)``, put it on the queue, print
  ``queued <item>``.
- ``consumer(queue, results)``: forever: take an item, print ``start <item>``, process it, store
  ``results[item] = result``, print ``done <item> -> <result>``, and mark the item done (``task_done``).
- ``pipeline(items, workers)``: make the queue and the results dict, start ``workers`` consumer tasks, run the
  producer, wait until every item has been processed (``await queue.join()``), then stop the consumers
  (cancel them and await them) and return ``[results[item] for item in items]``.
"""

import asyncio


async def process(item):
    """Given: the work for one item."""
    await asyncio.sleep(2 if item % 3 == 0 else 1)
    return item * item


async def producer(queue, items):
    """Put each item on the queue, one every 0.5 s, printing ``queued <item>``."""
    for item in items:
        await asyncio.sleep(0.5)
        await queue.put(item)
        print(f"queued {item}")


async def consumer(queue, results):
    """Forever: take an item, process it, store its result, mark it done."""
    while True:
        item = await queue.get()
        print(f"start {item}")
        result = await process(item)
        results[item] = result
        print(f"done {item} -> {result}")
        queue.task_done()


async def pipeline(items, workers):
    """Process every item with ``workers`` consumers; return the results in the order of ``items``."""
    queue = asyncio.Queue()
    results = {}
    consumers = [asyncio.create_task(consumer(queue, results)) for _ in range(workers)]
    await producer(queue, items)
    await queue.join()
    for task in consumers:
        task.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    return [results[item] for item in items]


async def main():
    print(await pipeline([1, 2, 3, 4, 5], workers=2))


if __name__ == "__main__":
    asyncio.run(main())
