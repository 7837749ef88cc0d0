"""Each worker adds 25, the demo's number, whatever times says: the size is hard-coded."""
# expect-fail: returns
# expect-message: expected 3

import multiprocessing
import time


def add_one_slowly(counter):
    value = counter.value
    time.sleep(0.001)
    counter.value = value + 1



def increment(counter, lock, times):
    for _ in range(25):
        with lock:
            add_one_slowly(counter)


def count_with_processes(n_processes=4, times=25):
    counter = multiprocessing.Value("i", 0)
    lock = multiprocessing.Lock()
    workers = [multiprocessing.Process(target=increment, args=(counter, lock, times)) for _ in range(n_processes)]
    for process in workers:
        process.start()
    for process in workers:
        process.join()
    return counter.value
