"""asyncio.timeout (3.11+): a block cut short, a deadline moved later with reschedule()."""

import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(0.4):
            await asyncio.sleep(1.0)
    except TimeoutError:
        print("cut short at 0.4 s")
    async with asyncio.timeout(0.3) as cm:
        cm.reschedule(loop.time() + 0.6)
        await asyncio.sleep(0.5)
        print("rescheduled block finished, expired:", cm.expired())
    async with asyncio.timeout(None):
        await asyncio.sleep(0.2)
    print("no deadline block finished")
