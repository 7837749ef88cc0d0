"""One process makes every addition while the others are given nothing to do: the total is right, but the work
is not shared by the workers."""
# expect-fail: shared
# expect-message: made by one worker process

import multiprocessing
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
    shares = [n_processes * times] + [0] * (n_processes - 1)
    workers = [multiprocessing.Process(target=increment, args=(counter, lock, share)) for share in shares]
    for process in workers:
        process.start()
    for process in workers:
        process.join()
    return counter.value
