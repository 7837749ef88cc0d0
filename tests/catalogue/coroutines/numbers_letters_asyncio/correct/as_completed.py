"""Both coroutines awaited in completion order with asyncio.as_completed."""
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
    for finished in asyncio.as_completed([print_numbers(), print_letters()]):
        await finished
    print("Done!")


if __name__ == "__main__":
    asyncio.run(main())
