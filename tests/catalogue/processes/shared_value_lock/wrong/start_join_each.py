"""Starts and joins each process in turn: the count is right, but the processes never run at the same time."""
# expect-fail: concurrency
# expect-message: at most 1 worker

import multiprocessing
import threading  # noqa: F401
import time


def add_one_slowly(counter):
    value = counter.value
    time.sleep(0.001)
    counter.value = value + 1


def increment(counter, lock, times):
    for _ in range(times):
        with lock:
            add_one_slowly(counter)


def count_with_processes(n_processes=4, times=25):
    counter = multiprocessing.Value("i", 0)
    lock = multiprocessing.Lock()
    for _ in range(n_processes):
        p = multiprocessing.Process(target=increment, args=(counter, lock, times))
        p.start()
        p.join()
    return counter.value
