"""Uses the blocking time.sleep instead of await asyncio.sleep in both coroutines, so the event loop is blocked."""
# expect-fail: overlap, runs

import asyncio
import time


async def print_numbers():
    for i in range(1, 6):
        time.sleep(1)
        print(f"Number: {i}")


async def print_letters():
    for letter in "abcde":
        time.sleep(1.5)
        print(f"Letter: {letter}")


async def main():
    numbers = asyncio.create_task(print_numbers())
    letters = asyncio.create_task(print_letters())
    await numbers
    await letters
    print("Done!")


if __name__ == "__main__":
    asyncio.run(main())
