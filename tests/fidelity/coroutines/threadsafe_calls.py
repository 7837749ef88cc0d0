"""A thread talks to the event loop: call_soon_threadsafe and run_coroutine_threadsafe."""

import asyncio
import threading
import time


async def double(x):
    await asyncio.sleep(0.2)
    return 2 * x


def worker(loop, done):
    time.sleep(0.3)
    loop.call_soon_threadsafe(done.set)
    future = asyncio.run_coroutine_threadsafe(double(21), loop)
    print("thread got", future.result(timeout=2))


async def main():
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    t = threading.Thread(target=worker, args=(loop, done))
    t.start()
    await done.wait()
    print("event set from the thread")
    await asyncio.to_thread(t.join)
    print("thread joined")
