"""loop.run_in_executor(None, ...) on the default executor, as before asyncio.to_thread existed."""
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
    loop = asyncio.get_running_loop()
    futures = [loop.run_in_executor(None, blocking_read, name, seconds) for name, seconds in requests]
    return list(await asyncio.gather(*futures))
