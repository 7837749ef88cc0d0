"""Both coroutines run concurrently with asyncio.gather."""
# expect: pass

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
    await asyncio.gather(print_numbers(), print_letters())
    print("Done!")


if __name__ == "__main__":
    asyncio.run(main())
