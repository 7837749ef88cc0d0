"""The workers are started and joined, but main makes the additions itself afterwards: the work is not done
where it should be."""
# expect-fail: shared
# expect-message: only main updated the shared value

import multiprocessing
import time


def add_one_slowly(counter):
    value = counter.value
    time.sleep(0.001)
    counter.value = value + 1



def increment(counter, lock, times):
    pass  # the work happens below, in main


def count_with_processes(n_processes=4, times=25):
    counter = multiprocessing.Value("i", 0)
    lock = multiprocessing.Lock()
    workers = [multiprocessing.Process(target=increment, args=(counter, lock, times)) for _ in range(n_processes)]
    for process in workers:
        process.start()
    for process in workers:
        process.join()
    for _ in range(n_processes * times):
        add_one_slowly(counter)
    return counter.value
