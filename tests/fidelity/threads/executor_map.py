"""Executor.map: results come back in input order, however long each call takes."""

import time
from concurrent.futures import ThreadPoolExecutor

DELAYS = [0.5, 0.15, 0.3, 0.2, 0.1]


def square(n):
    time.sleep(DELAYS[n])
    print("computed", n)
    return n * n


def main():
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=3) as executor:
        for n, sq in zip(range(5), executor.map(square, range(5)), strict=True):
            print(f"{n}^2 = {sq} at {time.perf_counter() - start:.1f} s")
