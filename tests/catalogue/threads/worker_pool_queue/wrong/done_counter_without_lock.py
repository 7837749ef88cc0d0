"""Workers count finished items with `done[0] += 1` and no lock; the one that counts the last item tells main."""
# expect-fail: runs
# expect-message: This showed under schedule
# expect-message: was paused just before

import queue
import threading
import time

STOP = None  # the sentinel: one per worker, put after the last item


def worker(tasks, results, work, done, all_done, total):
    """Take ``(index, item)`` pairs from ``tasks`` until the sentinel; store ``work(item)``; count it in ``done``."""
    while True:
        task = tasks.get()
        if task is STOP:
            break
        index, item = task
        results[index] = work(item)
        done[0] += 1
        if done[0] == total:
            all_done.set()


def run_pool(items, work, n_workers):
    """Process every item with ``work`` in ``n_workers`` threads; return the results in the order of ``items``."""
    items = list(items)
    tasks = queue.Queue()
    results = [None] * len(items)
    for index, item in enumerate(items):
        tasks.put((index, item))
    done, all_done = [0], threading.Event()
    threads = [threading.Thread(target=worker, args=(tasks, results, work, done, all_done, len(items)))
               for _ in range(n_workers)]
    for thread in threads:
        thread.start()
    if items:
        all_done.wait()  # every item counted: now stop the workers
    for _ in range(n_workers):
        tasks.put(STOP)
    for thread in threads:
        thread.join()
    return results


def slow_square(x):
    """A stand-in for slow work (a download, a disk read): 0.1 s per item."""
    time.sleep(0.1)
    return x * x


if __name__ == "__main__":
    print(run_pool(range(10), slow_square, 3))  # [0, 1, 4, ..., 81] in about 0.4 s, not 1 s
