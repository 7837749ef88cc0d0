"""Ignores n_workers and starts a single worker."""
# expect-fail: concurrency
# expect-message: at most 1 worker

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
    p = multiprocessing.Process(target=worker, args=(tasks, results))
    p.start()
    for n in numbers:
        tasks.put(n)
    tasks.put(SENTINEL)
    squares = dict(results.get() for _ in numbers)
    p.join()
    return squares
