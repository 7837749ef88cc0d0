"""Uses threads on a multiprocessing.Value: no worker process at all."""
# expect-fail: concurrency
# expect-message: no worker process

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
    workers = [threading.Thread(target=increment, args=(counter, lock, times)) for _ in range(n_processes)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return counter.value
