"""The usual script shape: a plain main() that calls asyncio.run() on the coroutine."""

import asyncio
import time


async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)


async def amain():
    print(f"started at {time.strftime('%X') == time.strftime('%X', time.localtime())}")
    task1 = asyncio.create_task(say_after(0.4, "hello"))
    task2 = asyncio.create_task(say_after(0.6, "world"))
    await task1
    await task2
    return "finished"


def main():
    start = time.monotonic()
    print(asyncio.run(amain()), round(time.monotonic() - start, 1))
