"""Counts in a plain global variable: each process adds to its own copy and the parent still sees 0."""
# expect-fail: shared, returns
# expect-message: plain variable is copied

import multiprocessing
import threading  # noqa: F401
import time


def add_one_slowly(counter):
    value = counter.value
    time.sleep(0.001)
    counter.value = value + 1


COUNT = 0


def increment(counter, lock, times):
    global COUNT
    for _ in range(times):
        with lock:
            COUNT += 1


def count_with_processes(n_processes=4, times=25):
    lock = multiprocessing.Lock()
    workers = [multiprocessing.Process(target=increment, args=(None, lock, times)) for _ in range(n_processes)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    return COUNT
