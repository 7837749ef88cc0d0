"""Class 3, the work was not done: one coroutine sorts the jobs by delay and prints what fetch() would have
printed, at the right moments, without ever calling fetch()."""
# expect-fail: work
# expect-message: fetch() was never called
import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"fetched {name} after {delay} s")
    return name.upper()


async def fetch_all(jobs):
    now = 0
    for name, delay in sorted(jobs, key=lambda job: job[1]):
        await asyncio.sleep(delay - now)
        now = delay
        print(f"fetched {name} after {delay} s")
    return [name.upper() for name, _ in jobs]


async def main():
    print(await fetch_all([("slow", 3), ("fast", 1), ("medium", 2)]))
