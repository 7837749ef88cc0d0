"""Prints each line before sleeping instead of after, so the first lines appear immediately."""
# expect-fail: timing, order

import asyncio


async def print_numbers():
    for i in range(1, 6):
        print(f"Number: {i}")
        await asyncio.sleep(1)


async def print_letters():
    for letter in "abcde":
        print(f"Letter: {letter}")
        await asyncio.sleep(1.5)


async def main():
    numbers = asyncio.create_task(print_numbers())
    letters = asyncio.create_task(print_letters())
    await numbers
    await letters
    print("Done!")


if __name__ == "__main__":
    asyncio.run(main())
