"""asyncio.Event: waiters go on when it is set; wait_for bounds a wait on it."""

import asyncio


async def waiter(name, event, after):
    await event.wait()
    await asyncio.sleep(after)
    print(f"{name} saw the event")


async def main():
    event = asyncio.Event()
    tasks = [asyncio.create_task(waiter(f"w{i}", event, 0.1 * i)) for i in range(3)]
    try:
        await asyncio.wait_for(event.wait(), timeout=0.2)
    except TimeoutError:
        print("not set yet")
    await asyncio.sleep(0.3)
    event.set()
    print("set")
    await asyncio.gather(*tasks)
    print("is_set:", event.is_set())
