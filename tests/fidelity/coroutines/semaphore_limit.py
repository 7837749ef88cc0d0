"""asyncio.Semaphore: at most two downloads at a time."""

import asyncio

limit = asyncio.Semaphore(2)


async def download(i, seconds):
    async with limit:
        print(f"download {i} started")
        await asyncio.sleep(seconds)
        print(f"download {i} finished")


async def main():
    await asyncio.gather(*(download(i, s) for i, s in enumerate((0.4, 0.2, 0.3, 0.05))))
    print("locked at the end:", limit.locked())
