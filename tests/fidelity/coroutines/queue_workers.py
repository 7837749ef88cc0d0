"""asyncio.Queue: a producer, three workers, queue.join() and cancelling the idle workers."""

import asyncio


async def worker(name, queue):
    while True:
        seconds = await queue.get()
        await asyncio.sleep(seconds)
        print(f"{name} slept {seconds}")
        queue.task_done()


async def main():
    queue = asyncio.Queue()
    for seconds in (0.5, 0.15, 0.3, 0.2, 0.25):
        queue.put_nowait(seconds)
    workers = [asyncio.create_task(worker(f"worker-{i}", queue)) for i in range(3)]
    await queue.join()
    print("queue drained")
    for w in workers:
        w.cancel()
    results = await asyncio.gather(*workers, return_exceptions=True)
    print([type(r).__name__ for r in results])
