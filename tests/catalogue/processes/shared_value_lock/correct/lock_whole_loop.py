"""Holds the lock for a worker's whole loop: correct (nothing is lost), if less parallel."""
# expect: pass

import multiprocessing
import threading  # noqa: F401
import time


def add_one_slowly(counter):
    value = counter.value
    time.sleep(0.001)
    counter.value = value + 1


def increment(counter, lock, times):
    with lock:
        for _ in range(times):
            add_one_slowly(counter)


def count_with_processes(n_processes=4, times=25):
    counter = multiprocessing.Value("i", 0)
    lock = multiprocessing.Lock()
    workers = [multiprocessing.Process(target=increment, args=(counter, lock, times)) for _ in range(n_processes)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    return counter.value
