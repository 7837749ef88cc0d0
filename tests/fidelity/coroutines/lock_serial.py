"""asyncio.Lock: the critical sections of three tasks run one after the other."""

import asyncio

lock = asyncio.Lock()
log = []


async def update(name):
    print(f"{name} waits")
    async with lock:
        log.append(name)
        await asyncio.sleep(0.25)
        print(f"{name} updated, log {log}")


async def main():
    await asyncio.gather(update("x"), update("y"), update("z"))
    print("locked:", lock.locked())
