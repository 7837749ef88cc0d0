"""Creates the to_thread coroutines but never awaits them: nothing is read at all."""
# expect-fail: output, returns
# expect-message: coroutine object
import asyncio
import time


def blocking_read(name, seconds):
    time.sleep(seconds)
    print(f"read {name}")
    return f"{name}: {seconds} s of data"


async def heartbeat(beats):
    for i in range(1, beats + 1):
        await asyncio.sleep(0.5)
        print(f"heartbeat {i}")



async def read_all(requests):
    return [asyncio.to_thread(blocking_read, name, seconds) for name, seconds in requests]
