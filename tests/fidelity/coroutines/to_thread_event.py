"""A threading.Event waited on in a thread (to_thread) while the event loop sets it later."""

import asyncio
import threading


async def main():
    ready = threading.Event()
    waiting = asyncio.create_task(asyncio.to_thread(ready.wait, 2.0))
    await asyncio.sleep(0.4)
    print("setting")
    ready.set()
    print("wait returned", await waiting)
    print("timed out:", not await asyncio.to_thread(threading.Event().wait, 0.3))
