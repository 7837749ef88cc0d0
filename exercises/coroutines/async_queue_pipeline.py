"""A producer, a few consumers and an asyncio.Queue, shut down cleanly.

``process(item)`` (given) is the work for one item (1 s, or 2 s for multiples of 3) and returns ``item * item``.
Write three coroutines:

- ``producer(queue, items)``: for each item, ``await asyncio.sleep(0.5)``, put it on the queue, print
  ``queued <item>``.
- ``consumer(queue, results)``: forever: take an item, print ``start <item>``, process it, store
  ``results[item] = result``, print ``done <item> -> <result>``, and mark the item done (``task_done``).
- ``pipeline(items, workers)``: make the queue and the results dict, start ``workers`` consumer tasks, run the
  producer, wait until every item has been processed (``await queue.join()``), then stop the consumers
  (cancel them and await them) and return ``[results[item] for item in items]``.

The lesson
    ``asyncio.Queue`` hands items from producers to consumers; ``await queue.get()`` waits while it is empty.
    Every ``get()`` must be matched by one ``queue.task_done()`` once the item is processed, and
    ``await queue.join()`` returns when every item put has been marked done: that is how you know the work is
    finished, not just queued.  Consumers that loop forever must then be stopped: ``task.cancel()`` each and
    ``await asyncio.gather(*tasks, return_exceptions=True)`` (or send one sentinel such as ``None`` per
    consumer).  A task left pending when ``main()`` returns is cancelled abruptly by ``asyncio.run``.
    Docs: https://docs.python.org/3/library/asyncio-queue.html (its example is this exercise)

Check your work:  course check coroutines/async_queue_pipeline   (or: pytest exercises/coroutines/async_queue_pipeline.py)
Run it and watch:  python exercises/coroutines/async_queue_pipeline.py
"""

import asyncio


async def process(item):
    """Given: the work for one item."""
    await asyncio.sleep(2 if item % 3 == 0 else 1)
    return item * item


async def producer(queue, items):
    """Put each item on the queue, one every 0.5 s, printing ``queued <item>``."""
    # TODO: for each item: await asyncio.sleep(0.5), await queue.put(item), print f"queued {item}"
    raise NotImplementedError("producer(): sleep 0.5 s, put the item, print 'queued <item>', for each item")


async def consumer(queue, results):
    """Forever: take an item, process it, store its result, mark it done."""
    # TODO: loop forever: item = await queue.get(); print f"start {item}"; result = await process(item);
    #       results[item] = result; print f"done {item} -> {result}"; queue.task_done()
    raise NotImplementedError("consumer(): get, print 'start <item>', process, store, print 'done', task_done()")


async def pipeline(items, workers):
    """Process every item with ``workers`` consumers; return the results in the order of ``items``."""
    # TODO: queue = asyncio.Queue(); results = {}; start `workers` consumer tasks; await producer(queue, items);
    #       await queue.join(); cancel the consumers and await them; return [results[item] for item in items]
    raise NotImplementedError("pipeline(): start the consumers, run the producer, join the queue, stop the consumers")


async def main():
    print(await pipeline([1, 2, 3, 4, 5], workers=2))


if __name__ == "__main__":
    asyncio.run(main())
