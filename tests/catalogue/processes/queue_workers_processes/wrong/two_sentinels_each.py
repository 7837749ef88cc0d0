"""Puts two sentinels per worker: half of them are never taken off the queue."""
# expect-fail: queues
# expect-message: never taken off

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
    for _ in range(2 * n_workers):
        tasks.put(SENTINEL)
    squares = dict(results.get() for _ in numbers)
    for p in workers:
        p.join()
    return squares
