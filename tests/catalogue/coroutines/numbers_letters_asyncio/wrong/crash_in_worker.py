"""print_letters raises a ValueError after the second letter, which propagates into main."""
# expect-fail: runs, output

import asyncio


async def print_numbers():
    for i in range(1, 6):
        await asyncio.sleep(1)
        print(f"Number: {i}")


async def print_letters():
    for count, letter in enumerate("abcde"):
        await asyncio.sleep(1.5)
        print(f"Letter: {letter}")
        if count == 1:
            raise ValueError("only two letters are supported")


async def main():
    numbers = asyncio.create_task(print_numbers())
    letters = asyncio.create_task(print_letters())
    await numbers
    await letters
    print("Done!")


if __name__ == "__main__":
    asyncio.run(main())
