"""TaskGroup (3.11+): waits for every task; an error cancels the others and arrives as an ExceptionGroup."""

import asyncio


async def step(name, seconds, fail=False):
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise
    if fail:
        raise ValueError(name)
    print(f"{name} done")
    return name


async def main():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(step("a", 0.3))
        b = tg.create_task(step("b", 0.1))
    print("results", a.result(), b.result())
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(step("slow", 1.0))
            tg.create_task(step("bad", 0.2, fail=True))
    except* ValueError as group:
        print("failed:", [str(e) for e in group.exceptions])
