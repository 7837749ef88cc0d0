"""asyncio.timeout_at with the loop's clock, Queue.get_nowait on an empty queue, sleep(0) hand-overs."""

import asyncio


async def chatter(name):
    for i in range(2):
        print(name, i)
        await asyncio.sleep(0)


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout_at(loop.time() + 0.3):
            await asyncio.Event().wait()
    except TimeoutError:
        print("timeout_at fired")
    queue = asyncio.Queue()
    try:
        queue.get_nowait()
    except asyncio.QueueEmpty:
        print("empty")
    await asyncio.gather(chatter("a"), chatter("b"))
    task = asyncio.create_task(asyncio.sleep(1))
    await asyncio.sleep(0.2)
    task.cancel("no longer needed")
    try:
        await task
    except asyncio.CancelledError as exc:
        print("cancelled with", exc.args)
