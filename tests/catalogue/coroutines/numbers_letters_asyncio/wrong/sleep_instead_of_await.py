"""Sleeps 7.5 s instead of awaiting the tasks, prints "Done!", and awaits them only afterwards: right time, wrong
cause (which of "Letter: e" and "Done!" comes first is a tie)."""
# expect-fail: order
# expect-message: is not guaranteed to come after

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
    tasks = [asyncio.create_task(f()) for f in (print_numbers, print_letters)]
    await asyncio.sleep(7.5)
    print("Done!")
    await asyncio.gather(*tasks)


if __name__ == "__main__":
    asyncio.run(main())
