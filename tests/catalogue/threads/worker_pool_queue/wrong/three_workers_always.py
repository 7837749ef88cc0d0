"""Always starts three worker threads, whatever n_workers says: right only when the caller asks for three."""
# expect-fail: busy
# expect-message: at most 3 jobs were running at once

import queue
import threading

WORKERS = 3


def worker(tasks, results, work):
    while True:
        task = tasks.get()
        if task is None:
            return
        index, item = task
        results[index] = work(item)


def run_pool(items, work, n_workers):
    tasks = queue.Queue()
    results = [None] * len(items)
    for index, item in enumerate(items):
        tasks.put((index, item))
    for _ in range(WORKERS):
        tasks.put(None)
    threads = [threading.Thread(target=worker, args=(tasks, results, work)) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
