"""multiprocessing.pool.ThreadPool: imap, starmap and apply_async with a callback."""

import time
from multiprocessing.pool import ThreadPool


def wait_and_tag(seconds):
    time.sleep(seconds)
    return f"waited {seconds}"


def add(a, b):
    time.sleep(0.1)
    return a + b


def main():
    with ThreadPool(2) as pool:
        for msg in pool.imap(wait_and_tag, [0.3, 0.1, 0.2]):
            print(msg)
        print(pool.starmap(add, [(1, 2), (3, 4), (5, 6)]))
        r = pool.apply_async(wait_and_tag, (0.4,), callback=lambda v: print("callback:", v))
        r.wait()
        print("ready", r.ready(), r.successful())
