"""Splits the items among the workers in advance (items[k::n]) instead of a queue: a worker with short items sits
idle while another still has a long queue of its own."""
# expect-fail: timing
# expect-message: is due at


import queue
import threading
import time

STOP = None  # the sentinel: one per worker, put after the last item


def worker(tasks, results, work):
    """Take ``(index, item)`` pairs from ``tasks`` until the sentinel; store ``work(item)`` at ``results[index]``."""
    while True:
        task = tasks.get()
        if task is STOP:
            break
        index, item = task
        results[index] = work(item)


def run_pool(items, work, n_workers):
    """Process every item with ``work`` in ``n_workers`` threads; return the results in the order of ``items``."""
    items = list(items)
    results = [None] * len(items)

    def share(k):
        for index in range(k, len(items), n_workers):  # worker k takes every n-th item, fixed in advance
            results[index] = work(items[index])

    threads = [threading.Thread(target=share, args=(k,)) for k in range(n_workers)]
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
