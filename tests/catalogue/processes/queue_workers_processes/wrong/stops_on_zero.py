"""The worker stops on any falsy task (`if not n:`), so the number 0 stops it like a sentinel: its square is
never sent, and run() waits for it forever."""
# expect-fail: returns
# expect-message: with numbers [0] and 1 worker, run() never returned

import multiprocessing
import time


def square(n):
    time.sleep(0.5)
    return n * n


def worker(tasks, results):
    while True:
        n = tasks.get()
        if not n:
            return
        results.put((n, square(n)))


def run(numbers, n_workers=3):
    tasks, results = multiprocessing.Queue(), multiprocessing.Queue()
    workers = [multiprocessing.Process(target=worker, args=(tasks, results)) for _ in range(n_workers)]
    for p in workers:
        p.start()
    for n in numbers:
        tasks.put(n)
    for _ in workers:
        tasks.put(None)
    squares = dict(results.get() for _ in numbers)
    for p in workers:
        p.join()
    return squares
