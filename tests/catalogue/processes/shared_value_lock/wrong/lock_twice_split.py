"""One shared lock, but taken twice: once for the read, once for the write, so another process writes in between."""
# expect-fail: shared
# expect-message: let go between the read and the write

import multiprocessing
import time


def add_one_slowly(counter):
    value = counter.value
    time.sleep(0.001)
    counter.value = value + 1


def increment(counter, lock, times):
    for _ in range(times):
        with lock:
            seen = counter.value
        time.sleep(0.001)
        with lock:
            counter.value = seen + 1


def count_with_processes(n_processes=4, times=25):
    counter = multiprocessing.Value("i", 0)
    lock = multiprocessing.Lock()
    procs = [multiprocessing.Process(target=increment, args=(counter, lock, times)) for _ in range(n_processes)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return counter.value


def main():
    print(f"counter: {count_with_processes(4, 25)} (expected 100)")
