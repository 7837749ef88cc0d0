"""Returns the counter without waiting for the processes: it reads it before they have counted."""
# expect-fail: children, returns
# expect-message: never joined

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
    workers = [multiprocessing.Process(target=increment, args=(counter, lock, times)) for _ in range(n_processes)]
    for p in workers:
        p.start()
    return counter.value
