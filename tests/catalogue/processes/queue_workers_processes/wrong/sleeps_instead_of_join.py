"""Collects the results, then sleeps as long as the work takes instead of joining the workers."""
# expect-fail: children
# expect-message: never joined

import multiprocessing
import time

SENTINEL = None


def square(n):
    time.sleep(0.5)
    return n * n


def worker(tasks, results):
    for n in iter(tasks.get, SENTINEL):
        results.put((n, square(n)))


def run(numbers, n_workers=3):
    tasks, results = multiprocessing.Queue(), multiprocessing.Queue()
    for _ in range(n_workers):
        multiprocessing.Process(target=worker, args=(tasks, results)).start()
    for n in numbers:
        tasks.put(n)
    for _ in range(n_workers):
        tasks.put(SENTINEL)
    squares = dict(results.get() for _ in numbers)
    time.sleep(1)  # "long enough" for the workers to finish
    return squares
