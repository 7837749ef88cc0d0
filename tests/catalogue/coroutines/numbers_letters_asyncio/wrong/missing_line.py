"""Uses range(1, 5) so the numbers stop at 4."""
# expect-fail: output

import asyncio


async def print_numbers():
    for i in range(1, 5):
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
    await letters
    print("Done!")


if __name__ == "__main__":
    asyncio.run(main())
