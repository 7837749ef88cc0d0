"""Collects results until the dict holds one entry per task: a number given twice gives one entry, so run()
waits for a result that never comes."""
# expect-fail: returns
# expect-message: with numbers [2, 2, 3] and 2 workers, run() never returned

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
    procs = [multiprocessing.Process(target=worker, args=(tasks, results)) for _ in range(n_workers)]
    for p in procs:
        p.start()
    for n in numbers:
        tasks.put(n)
    for _ in procs:
        tasks.put(SENTINEL)
    squares = {}
    while len(squares) < len(numbers):
        n, sq = results.get()
        squares[n] = sq
    for p in procs:
        p.join()
    return squares
