"""asyncio.shield: the caller's wait times out, the shielded task finishes anyway."""

import asyncio


async def save():
    await asyncio.sleep(0.6)
    print("saved")
    return "ok"


async def main():
    task = asyncio.create_task(save())
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=0.2)
    except TimeoutError:
        print("gave up waiting, cancelled:", task.cancelled())
    print("result:", await task)
