"""asyncio.to_thread: blocking calls run in threads while the event loop goes on."""

import asyncio
import time


def blocking_read(name, seconds):
    time.sleep(seconds)
    return f"{name} read"


async def ticker():
    for i in range(3):
        await asyncio.sleep(0.2)
        print("tick", i)


async def main():
    results = await asyncio.gather(asyncio.to_thread(blocking_read, "disk", 0.5),
                                   asyncio.to_thread(blocking_read, "net", 0.3), ticker())
    print(results[:2])
