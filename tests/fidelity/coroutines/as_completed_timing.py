"""asyncio.as_completed over a list: each result as soon as it is ready; a timeout for the rest."""

import asyncio


async def ping(host, seconds):
    await asyncio.sleep(seconds)
    return f"{host} answered after {seconds} s"


async def main():
    coros = [ping("alpha", 0.4), ping("beta", 0.1), ping("gamma", 0.25)]
    for next_done in asyncio.as_completed(coros):
        print(await next_done)
    try:
        for next_done in asyncio.as_completed([ping("slow", 1.0), ping("quick", 0.1)], timeout=0.3):
            print(await next_done)
    except TimeoutError:
        print("the rest timed out")
