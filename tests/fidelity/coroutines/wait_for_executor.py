"""wait_for on a call in a thread: the wait times out, the thread's work still finishes."""

import asyncio
import time


def crunch():
    time.sleep(0.5)
    print("crunch finished")
    return 42


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(None, crunch)
    try:
        await asyncio.wait_for(asyncio.shield(fut), timeout=0.2)
    except TimeoutError:
        print("not yet")
    print("answer", await fut)
