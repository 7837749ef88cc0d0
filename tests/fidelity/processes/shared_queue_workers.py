"""Hand-made worker processes on one shared Queue: the items spread over the workers."""

import multiprocessing as mp
import time


def worker(tasks, results):
    while (n := tasks.get()) is not None:
        time.sleep(0.2)
        results.put(n * n)


def main():
    tasks, results = mp.Queue(), mp.Queue()
    workers = [mp.Process(target=worker, args=(tasks, results)) for _ in range(3)]
    for w in workers:
        w.start()
    for n in range(6):
        tasks.put(n)
    for _ in workers:
        tasks.put(None)
    squares = sorted(results.get() for _ in range(6))
    print(squares)
    for w in workers:
        w.join()
