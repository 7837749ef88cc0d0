"""loop.run_in_executor with the default executor and with a ThreadPoolExecutor of one thread."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor


def blocking(tag, seconds):
    time.sleep(seconds)
    print(f"{tag} finished")
    return tag


async def main():
    loop = asyncio.get_running_loop()
    both = await asyncio.gather(loop.run_in_executor(None, blocking, "default-a", 0.3),
                                loop.run_in_executor(None, blocking, "default-b", 0.2))
    print(both)
    with ThreadPoolExecutor(max_workers=1) as one:
        serial = await asyncio.gather(loop.run_in_executor(one, blocking, "one-a", 0.3),
                                      loop.run_in_executor(one, blocking, "one-b", 0.2))
    print(serial)
