"""Pools given nothing to do: map, imap, starmap and map_async over an empty list, and an executor's map."""

import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Pool


def slow_square(n):
    time.sleep(0.2)
    return n * n


def main():
    with Pool(processes=2) as pool:
        print("map:", pool.map(slow_square, []))
        print("imap:", list(pool.imap(slow_square, [])))
        print("starmap:", pool.starmap(pow, []))
        pending = pool.map_async(slow_square, [])
        pending.wait()
        print("map_async:", pending.ready(), pending.get())
        print("then:", pool.map(slow_square, [3]))
    with ProcessPoolExecutor(max_workers=2) as executor:
        print("executor:", list(executor.map(slow_square, [])))
