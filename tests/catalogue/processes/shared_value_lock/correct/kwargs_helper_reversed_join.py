"""The lock taken in a helper of its own, the worker's arguments given by keyword, and the workers joined in
reverse order."""

import multiprocessing
import time


def add_one_slowly(counter):
    value = counter.value
    time.sleep(0.001)
    counter.value = value + 1



def add_safely(counter, lock):
    with lock:
        add_one_slowly(counter)


def increment(counter, lock, times):
    for _ in range(times):
        add_safely(counter, lock)


def count_with_processes(n_processes=4, times=25):
    counter = multiprocessing.Value("i", 0)
    lock = multiprocessing.Lock()
    workers = []
    for _ in range(n_processes):
        worker = multiprocessing.Process(target=increment, kwargs={"counter": counter, "lock": lock, "times": times})
        worker.start()
        workers.append(worker)
    for worker in reversed(workers):
        worker.join()
    return counter.value
