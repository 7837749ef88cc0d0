"""Forgets the await in front of asyncio.sleep(1) in print_numbers, so the numbers do not wait."""
# expect-fail: timing, runs

import asyncio


async def print_numbers():
    for i in range(1, 6):
        asyncio.sleep(1)
        print(f"Number: {i}")


async def print_letters():
    for letter in "abcde":
        await asyncio.sleep(1.5)
        print(f"Letter: {letter}")


async def main():
    numbers = asyncio.create_task(print_numbers())
    letters = asyncio.create_task(print_letters())
    await numbers
    await letters
    print("Done!")


if __name__ == "__main__":
    asyncio.run(main())
