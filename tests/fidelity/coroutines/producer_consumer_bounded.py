"""A bounded asyncio.Queue: put() waits for room; a None ends the consumer."""

import asyncio


async def producer(queue):
    for i in range(4):
        await queue.put(i)
        print("produced", i)
    await queue.put(None)


async def consumer(queue):
    while (item := await queue.get()) is not None:
        await asyncio.sleep(0.2)
        print("consumed", item)


async def main():
    queue = asyncio.Queue(maxsize=1)
    await asyncio.gather(producer(queue), consumer(queue))
    print("queue empty:", queue.empty())
