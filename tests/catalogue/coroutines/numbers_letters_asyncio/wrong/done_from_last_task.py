"""Class 2, right lines, wrong worker: 'Done!' is printed by the letters task, which happens to end last,
instead of by main once both tasks have been awaited."""
# expect-fail: output
# expect-message: 'Done!' was printed by task print_letters; the reference prints it from main
import asyncio


async def print_numbers():
    for i in range(1, 6):
        await asyncio.sleep(1)
        print(f"Number: {i}")


async def print_letters():
    for ch in "abcde":
        await asyncio.sleep(1.5)
        print(f"Letter: {ch}")
    print("Done!")


async def main():
    await asyncio.gather(print_numbers(), print_letters())
