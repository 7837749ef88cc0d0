"""Starts three workers, the number of the example, whatever n_workers says (and three sentinels for them)."""
# expect-fail: concurrency
# expect-message: worker

import multiprocessing
import time


def square(n):
    time.sleep(0.5)
    return n * n


def worker(tasks, results):
    while (n := tasks.get()) is not None:
        results.put((n, square(n)))


def run(numbers, n_workers=3):
    tasks, results = multiprocessing.Queue(), multiprocessing.Queue()
    procs = [multiprocessing.Process(target=worker, args=(tasks, results)) for _ in range(3)]
    for p in procs:
        p.start()
    for n in numbers:
        tasks.put(n)
    for _ in range(3):
        tasks.put(None)
    squares = dict(results.get() for _ in numbers)
    for p in procs:
        p.join()
    return squares
