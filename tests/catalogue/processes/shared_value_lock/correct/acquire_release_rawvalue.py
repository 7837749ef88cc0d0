"""Value(lock=False) with a separate RLock, taken with acquire() / release() in try / finally, spawn context."""
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
        lock.acquire()
        try:
            add_one_slowly(counter)
        finally:
            lock.release()


def count_with_processes(n_processes=4, times=25):
    ctx = multiprocessing.get_context("spawn")
    counter = ctx.Value("i", 0, lock=False)
    lock = ctx.RLock()
    workers = [ctx.Process(target=increment, args=(counter, lock, times)) for _ in range(n_processes)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    return counter.value
