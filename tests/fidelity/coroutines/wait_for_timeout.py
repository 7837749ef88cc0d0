"""asyncio.wait_for: a slow call is cancelled at its timeout, a fast one returns its value."""

import asyncio


async def answer(seconds):
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(f"the {seconds} s call was cancelled")
        raise
    return seconds * 10


async def main():
    print("fast:", await asyncio.wait_for(answer(0.2), timeout=1.0))
    try:
        await asyncio.wait_for(answer(2.0), timeout=0.5)
    except TimeoutError:
        print("slow: timed out")
    print("done")
