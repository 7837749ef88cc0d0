"""asyncio.Condition: consumers wait for stock, the producer notifies one, then all."""

import asyncio

stock = []


async def consumer(name, cond):
    async with cond:
        await cond.wait_for(lambda: stock)
        print(f"{name} took {stock.pop()}")


async def main():
    cond = asyncio.Condition()
    consumers = [asyncio.create_task(consumer(f"c{i}", cond)) for i in range(3)]
    await asyncio.sleep(0.2)
    async with cond:
        stock.append("apple")
        cond.notify()
    await asyncio.sleep(0.3)
    async with cond:
        stock.extend(["pear", "plum"])
        cond.notify_all()
    await asyncio.gather(*consumers)
    print("stock left:", stock)
