"""Uses the Value's own lock, counter.get_lock(), and a += inside it instead of add_one_slowly."""
# expect: pass

import multiprocessing
import threading  # noqa: F401
import time


def add_one_slowly(counter):
    value = counter.value
    time.sleep(0.001)
    counter.value = value + 1


def increment(counter, lock, times):
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1


def count_with_processes(n_processes=4, times=25):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, None, times)) for _ in range(n_processes)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    return counter.value
