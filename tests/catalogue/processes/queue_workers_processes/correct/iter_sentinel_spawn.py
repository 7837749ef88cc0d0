"""iter(tasks.get, SENTINEL) in the worker, a spawn context, and the tasks queued before the workers start."""
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
    for n in iter(tasks.get, SENTINEL):
        results.put((n, square(n)))


def run(numbers, n_workers=3):
    ctx = multiprocessing.get_context("spawn")
    tasks, results = ctx.Queue(), ctx.Queue()
    for n in numbers:
        tasks.put(n)
    for _ in range(n_workers):
        tasks.put(SENTINEL)
    workers = [ctx.Process(target=worker, args=(tasks, results), name=f"squarer-{i}") for i in range(n_workers)]
    for p in workers:
        p.start()
    squares = dict(results.get() for _ in numbers)
    for p in workers:
        p.join()
    return squares
