"""Waits for the tasks with a fixed timeout of exactly their length instead of waiting for them to finish."""
# expect-fail: order
# expect-message: not guaranteed to come after

import asyncio


async def print_numbers():
    for i in range(1, 6):
        await asyncio.sleep(1)
        print(f"Number: {i}")


async def print_letters():
    for letter in "abcde":
        await asyncio.sleep(1.5)
        print(f"Letter: {letter}")


async def main():
    numbers = asyncio.create_task(print_numbers())
    letters = asyncio.create_task(print_letters())
    await numbers
    await asyncio.wait([letters], timeout=2.5)
    print("Done!")
    await letters


if __name__ == "__main__":
    asyncio.run(main())
