"""asyncio.Barrier (3.11+), and asyncio.PriorityQueue and LifoQueue."""

import asyncio


async def racer(i, barrier):
    await asyncio.sleep(0.1 * (i + 1))
    print(f"racer {i} ready")
    await barrier.wait()
    await asyncio.sleep(0.1 * (3 - i))
    print(f"racer {i} off")


async def main():
    barrier = asyncio.Barrier(3)
    await asyncio.gather(*(racer(i, barrier) for i in range(3)))
    prio, lifo = asyncio.PriorityQueue(), asyncio.LifoQueue()
    for p, job in ((2, "b"), (1, "a"), (3, "c")):
        await prio.put((p, job))
        await lifo.put(job)
    print([(await prio.get())[1] for _ in range(3)], [await lifo.get() for _ in range(3)])
    try:
        await asyncio.wait_for(prio.get(), timeout=0.3)
    except TimeoutError:
        print("nothing left")
