"""The queue carries the items themselves and a worker stops on any falsy one (`if not item`), so the item 0
stops its worker as if it were the sentinel, and its result is never made."""
# expect-fail: returns
# expect-message: with items [0] and 1 worker, run_pool() raised keyerror

import queue
import threading


def run_pool(items, work, n_workers):
    tasks = queue.Queue()
    done = {}

    def worker():
        while True:
            item = tasks.get()
            if not item:
                break
            done[item] = work(item)

    for item in items:
        tasks.put(item)
    for _ in range(n_workers):
        tasks.put(None)
    threads = [threading.Thread(target=worker) for _ in range(n_workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [done[item] for item in items]
