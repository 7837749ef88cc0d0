"""Starts n_workers threads but puts three sentinels, written for the three workers of an example: with more
workers some never stop, with fewer a sentinel is left over."""
# expect-fail: runs, returns
# expect-message: with items [7, 8] and 4 workers, run_pool() never returned

import queue
import threading


def run_pool(items, work, n_workers):
    tasks = queue.Queue()
    results = [None] * len(items)

    def worker():
        while True:
            task = tasks.get()
            if task is None:
                return
            results[task[0]] = work(task[1])

    for task in enumerate(items):
        tasks.put(task)
    for _ in range(3):
        tasks.put(None)
    threads = [threading.Thread(target=worker) for _ in range(n_workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
