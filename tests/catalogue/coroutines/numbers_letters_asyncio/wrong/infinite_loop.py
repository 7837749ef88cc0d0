"""Counts the numbers in a while True loop with no stop condition, so the numbers task never ends."""
# expect-fail: runs

import asyncio


async def print_numbers():
    i = 0
    while True:
        await asyncio.sleep(1)
        i += 1
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
