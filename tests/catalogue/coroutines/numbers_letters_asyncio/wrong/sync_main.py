"""Makes main a plain def that calls asyncio.run on a helper gathering both coroutines."""
# expect-fail: model

import asyncio


async def print_numbers():
    for i in range(1, 6):
        await asyncio.sleep(1)
        print(f"Number: {i}")


async def print_letters():
    for letter in "abcde":
        await asyncio.sleep(1.5)
        print(f"Letter: {letter}")


async def run_both():
    await asyncio.gather(print_numbers(), print_letters())


def main():
    asyncio.run(run_both())
    print("Done!")


if __name__ == "__main__":
    main()
