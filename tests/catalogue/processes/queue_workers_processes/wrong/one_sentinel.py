"""Puts a single sentinel for three workers: the other two wait forever for a task, and main waits forever in join()."""
# expect-fail: runs
# expect-message: deadlock

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
    tasks.put(SENTINEL)
    squares = dict(results.get() for _ in numbers)
    for p in workers:
        p.join()
    return squares
