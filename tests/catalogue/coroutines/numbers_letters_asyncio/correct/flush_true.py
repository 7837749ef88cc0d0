"""Tasks whose print calls all use flush=True."""
# expect: pass

import asyncio


async def print_numbers():
    for i in range(1, 6):
        await asyncio.sleep(1)
        print(f"Number: {i}", flush=True)


async def print_letters():
    for letter in "abcde":
        await asyncio.sleep(1.5)
        print(f"Letter: {letter}", flush=True)


async def main():
    numbers = asyncio.create_task(print_numbers())
    letters = asyncio.create_task(print_letters())
    await numbers
    await letters
    print("Done!", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
