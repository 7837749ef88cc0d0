"""Uses a delay of 0.5 seconds instead of 1 second between numbers."""
# expect-fail: timing

import asyncio


async def print_numbers():
    for i in range(1, 6):
        await asyncio.sleep(0.5)
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
