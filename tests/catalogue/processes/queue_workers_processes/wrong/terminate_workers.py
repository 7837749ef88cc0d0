"""Sends no sentinel and terminate()s the workers once the results are in."""
# expect-fail: children
# expect-message: terminate()

import multiprocessing
import threading  # noqa: F401
import time
import sys  # noqa: F401

SENTINEL = None


def square(n):
    time.sleep(0.5)
    return n * n


def worker(tasks, results):
    while True:
        n = tasks.get()
        if n is SENTINEL:
            return
        results.put((n, square(n)))


def run(numbers, n_workers=3):
    tasks, results = multiprocessing.Queue(), multiprocessing.Queue()
    workers = [multiprocessing.Process(target=worker, args=(tasks, results)) for _ in range(n_workers)]
    for p in workers:
        p.start()
    for n in numbers:
        tasks.put(n)
    squares = dict(results.get() for _ in numbers)
    for p in workers:
        p.terminate()
        p.join()
    return squares
