"""Numbers and letters, with asyncio (reference solution)."""

import asyncio


async def print_numbers():
    """Print ``Number: 1`` ... ``Number: 5``, awaiting 1 s before each line."""
    for i in range(1, 6):
        await asyncio.sleep(1)
        print(f"Number: {i}")


async def print_letters():
    """Print ``Letter: a`` ... ``Letter: e``, awaiting 1.5 s before each line."""
    for letter in "abcde":
        await asyncio.sleep(1.5)
        print(f"Letter: {letter}")


async def main():
    """Run both coroutines as two tasks at the same time, await both, then print ``Done!``."""
    task1 = asyncio.create_task(print_numbers())
    task2 = asyncio.create_task(print_letters())
    await task1
    await task2
    print("Done!")


if __name__ == "__main__":
    asyncio.run(main())
