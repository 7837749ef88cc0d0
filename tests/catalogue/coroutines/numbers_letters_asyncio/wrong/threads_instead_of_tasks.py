"""Writes the workers as plain functions with time.sleep and runs them in threads via asyncio.to_thread."""
# expect-fail: model

import asyncio
import time


def print_numbers():
    for i in range(1, 6):
        time.sleep(1)
        print(f"Number: {i}")


def print_letters():
    for letter in "abcde":
        time.sleep(1.5)
        print(f"Letter: {letter}")


async def main():
    await asyncio.gather(
        asyncio.to_thread(print_numbers),
        asyncio.to_thread(print_letters),
    )
    print("Done!")


if __name__ == "__main__":
    asyncio.run(main())
