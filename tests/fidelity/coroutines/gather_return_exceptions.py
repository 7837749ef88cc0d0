"""gather(return_exceptions=True) keeps the others going; without it the first error propagates."""

import asyncio


async def check(host, seconds, ok=True):
    await asyncio.sleep(seconds)
    if not ok:
        raise ConnectionError(host)
    print(f"{host} is up")
    return host


async def main():
    results = await asyncio.gather(check("a", 0.2), check("b", 0.1, ok=False), check("c", 0.3),
                                   return_exceptions=True)
    print([type(r).__name__ for r in results])
    try:
        await asyncio.gather(check("d", 0.4), check("e", 0.2, ok=False))
    except ConnectionError as exc:
        print("gather raised for", exc)
    await asyncio.sleep(0.3)
    print("d finished meanwhile")
