"""Tasks whose coroutines write their lines through sys.stdout.write."""
# expect: pass

import asyncio
import sys


async def print_numbers():
    for i in range(1, 6):
        await asyncio.sleep(1)
        sys.stdout.write(f"Number: {i}\n")


async def print_letters():
    for letter in "abcde":
        await asyncio.sleep(1.5)
        sys.stdout.write(f"Letter: {letter}\n")


async def main():
    numbers = asyncio.create_task(print_numbers())
    letters = asyncio.create_task(print_letters())
    await numbers
    await letters
    sys.stdout.write("Done!\n")


if __name__ == "__main__":
    asyncio.run(main())
