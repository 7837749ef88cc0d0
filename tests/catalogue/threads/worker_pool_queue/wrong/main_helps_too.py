"""Starts n_workers threads, then main takes items from the queue as well: n + 1 items are worked on at once."""
# expect-fail: busy
# expect-message: also ran outside your workers (main)

import queue
import threading


def worker(tasks, results, work):
    while True:
        try:
            index, item = tasks.get_nowait()
        except queue.Empty:
            return
        results[index] = work(item)


def run_pool(items, work, n_workers):
    items = list(items)
    tasks = queue.Queue()
    for pair in enumerate(items):
        tasks.put(pair)
    results = [None] * len(items)
    threads = [threading.Thread(target=worker, args=(tasks, results, work)) for _ in range(n_workers)]
    for thread in threads:
        thread.start()
    worker(tasks, results, work)  # main lends a hand while it waits
    for thread in threads:
        thread.join()
    return results
