"""The worker leaves with sys.exit(1) when it sees the sentinel: every worker ends with exit code 1."""
# expect-fail: children
# expect-message: exited with code 1

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
            sys.exit(1)
        results.put((n, square(n)))


def run(numbers, n_workers=3):
    tasks, results = multiprocessing.Queue(), multiprocessing.Queue()
    workers = [multiprocessing.Process(target=worker, args=(tasks, results)) for _ in range(n_workers)]
    for p in workers:
        p.start()
    for n in numbers:
        tasks.put(n)
    for _ in workers:
        tasks.put(SENTINEL)
    squares = dict(results.get() for _ in numbers)
    for p in workers:
        p.join()
    return squares
