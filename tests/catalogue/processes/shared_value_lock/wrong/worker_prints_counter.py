"""Right line, wrong process: each worker prints the counter when it is done, as if it were the final report
(which main prints from the value returned)."""
# expect-fail: output
# expect-message: more time(s) than expected

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
    print(f"counter: {counter.value}")


def count_with_processes(n_processes=4, times=25):
    counter = multiprocessing.Value("i", 0)
    lock = multiprocessing.Lock()
    workers = [multiprocessing.Process(target=increment, args=(counter, lock, times)) for _ in range(n_processes)]
    for process in workers:
        process.start()
    for process in workers:
        process.join()
    return counter.value
