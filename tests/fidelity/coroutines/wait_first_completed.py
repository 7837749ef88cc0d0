"""asyncio.wait with FIRST_COMPLETED and with a timeout."""

import asyncio


async def job(n):
    await asyncio.sleep(0.2 * n)
    return n


async def main():
    tasks = [asyncio.create_task(job(n)) for n in (3, 1, 2)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("first done:", [t.result() for t in done], "pending:", len(pending))
    done, pending = await asyncio.wait(pending, timeout=0.15)
    print("then:", [t.result() for t in done], "pending:", len(pending))
    done, _ = await asyncio.wait(pending)
    print("last:", sorted(t.result() for t in done))
