"""loop.call_later, call_at and call_soon, and a Future set by a callback."""

import asyncio


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    start = loop.time()
    loop.call_later(0.5, fut.set_result, "from call_later")
    loop.call_at(start + 0.2, print, "call_at fired")
    handle = loop.call_later(0.3, print, "never printed")
    loop.call_soon(print, "call_soon fired")
    handle.cancel()
    print(await fut, round(loop.time() - start, 1))
