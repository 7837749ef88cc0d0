"""A JoinableQueue for the tasks; the workers call task_done(); sentinels still stop them."""
# expect: pass

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
        try:
            if n is SENTINEL:
                return
            results.put((n, square(n)))
        finally:
            tasks.task_done()


def run(numbers, n_workers=3):
    tasks, results = multiprocessing.JoinableQueue(), multiprocessing.Queue()
    workers = [multiprocessing.Process(target=worker, args=(tasks, results)) for _ in range(n_workers)]
    for p in workers:
        p.start()
    for n in numbers:
        tasks.put(n)
    for _ in workers:
        tasks.put(SENTINEL)
    squares = {}
    for _ in numbers:
        n, sq = results.get()
        squares[n] = sq
    for p in workers:
        p.join()
    return squares
