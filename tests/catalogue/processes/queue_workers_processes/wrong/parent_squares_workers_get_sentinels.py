"""Starts the workers and queues, but main squares every number itself: the workers only ever take a sentinel."""
# expect-fail: work
# expect-message: ran in main itself

import multiprocessing
import time

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
    for w in workers:
        w.start()
    squares = {n: square(n) for n in numbers}
    for _ in workers:
        tasks.put(SENTINEL)
    for w in workers:
        w.join()
    return squares
