"""A correct alternative: named workers, every task and sentinel put in one loop, the results gathered with a
counted loop, the sentinel recognised with ``is None``."""

import multiprocessing
import time


def square(n):
    time.sleep(0.5)
    return n * n


def worker(tasks, results):
    while (task := tasks.get()) is not None:
        results.put((task, square(task)))


def run(numbers, n_workers=3):
    tasks, results = multiprocessing.Queue(), multiprocessing.Queue()
    procs = [multiprocessing.Process(target=worker, args=(tasks, results), name=f"squarer-{i}")
             for i in range(n_workers)]
    for p in procs:
        p.start()
    for n in [*numbers, *[None] * n_workers]:
        tasks.put(n)
    out = {}
    for _ in range(len(numbers)):
        n, sq = results.get()
        out[n] = sq
    for p in procs:
        p.join()
    return out
