"""A pool of worker threads fed by a queue.

``run_pool(items, work, n_workers)`` processes every item with ``work(item)`` in ``n_workers`` threads that
run at the same time, and returns the results in the order of ``items`` (not in the order they finished).

The design, producer / consumer: put every task in one ``queue.Queue``, then one *sentinel* per worker (a
value that means "no more work": here ``STOP``).  Each worker loops: take a task, stop at the sentinel,
otherwise do the work and store its result.  A task carries the item's index, so that each result goes to its
own slot, whichever worker finishes first.

The lesson
    ``queue.Queue`` is safe to use from many threads: ``get()`` hands each task to exactly one worker, and waits
    while the queue is empty.  That wait is also the trap: a worker that never receives a sentinel waits in
    ``get()`` forever, and the program never exits.  Put exactly one sentinel per worker, *after* the tasks, and
    join every worker before you return.  Start all the workers before waiting for any, so that ``n_workers``
    items are really processed at once.
    Docs: https://docs.python.org/3/library/queue.html#queue.Queue
          https://docs.python.org/3/library/threading.html#thread-objects

Check your work:  course check threads/worker_pool_queue   (or: pytest exercises/threads/worker_pool_queue.py)
Run it and watch:  python exercises/threads/worker_pool_queue.py
"""

import queue  # noqa: F401  (you will need it)
import threading  # noqa: F401
import time

STOP = None  # the sentinel: one per worker, put after the last item


def worker(tasks, results, work):
    """Take ``(index, item)`` pairs from ``tasks`` until the sentinel; store ``work(item)`` at ``results[index]``."""
    # TODO: loop: task = tasks.get(); if task is STOP, return; otherwise index, item = task and
    #       results[index] = work(item)
    raise NotImplementedError("worker(): get tasks until STOP, store work(item) at results[index]")


def run_pool(items, work, n_workers):
    """Process every item with ``work`` in ``n_workers`` threads; return the results in the order of ``items``."""
    # TODO: make a queue.Queue and a list results = [None] * len(items);
    #       put (index, item) for every item, then STOP once per worker;
    #       start n_workers threads running worker(tasks, results, work), join them all, return results
    raise NotImplementedError("run_pool(): fill a queue, start n_workers worker threads, join them, return results")


def slow_square(x):
    """A stand-in for slow work (a download, a disk read): 0.1 s per item."""
    time.sleep(0.1)
    return x * x


if __name__ == "__main__":
    print(run_pool(range(10), slow_square, 3))  # [0, 1, 4, ..., 81] in about 0.4 s, not 1 s
