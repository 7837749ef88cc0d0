"""Collects results from a second queue into a dict keyed by item until it holds as many entries as there are
items: with a repeated item the dict never gets that big, and run_pool() waits forever."""
# expect-fail: runs, returns
# expect-message: with items [4, 4, 4] and 2 workers, run_pool() never returned

import queue
import threading


def run_pool(items, work, n_workers):
    tasks, out = queue.Queue(), queue.Queue()

    def worker():
        while (item := tasks.get()) is not None:
            out.put((item, work(item)))

    threads = [threading.Thread(target=worker) for _ in range(n_workers)]
    for t in threads:
        t.start()
    for item in items:
        tasks.put(item)
    for _ in threads:
        tasks.put(None)
    results = {}
    while len(results) < len(items):
        item, value = out.get()
        results[item] = value
    for t in threads:
        t.join()
    return [results[item] for item in items]
