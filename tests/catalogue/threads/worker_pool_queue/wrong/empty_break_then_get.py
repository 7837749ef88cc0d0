"""`if tasks.empty(): break` before each get(), no sentinels: the queue can empty between the test and the get."""
# expect-fail: runs
# expect-message: was paused just before
# expect-message: tasks.get()

import queue
import threading
import time

def worker(tasks, results, work):
    """Take ``(index, item)`` pairs from ``tasks`` until it is empty; store ``work(item)`` at ``results[index]``."""
    while True:
        if tasks.empty():
            break
        index, item = tasks.get()
        results[index] = work(item)


def run_pool(items, work, n_workers):
    """Process every item with ``work`` in ``n_workers`` threads; return the results in the order of ``items``."""
    items = list(items)
    tasks = queue.Queue()
    results = [None] * len(items)
    for index, item in enumerate(items):
        tasks.put((index, item))
    threads = [threading.Thread(target=worker, args=(tasks, results, work)) for _ in range(n_workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def slow_square(x):
    """A stand-in for slow work (a download, a disk read): 0.1 s per item."""
    time.sleep(0.1)
    return x * x


if __name__ == "__main__":
    print(run_pool(range(10), slow_square, 3))  # [0, 1, 4, ..., 81] in about 0.4 s, not 1 s
