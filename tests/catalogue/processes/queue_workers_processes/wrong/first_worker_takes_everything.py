"""Each worker first takes every task up to a sentinel, then squares them: the first worker to ask takes all
the numbers (taking costs no time), and the others only get a sentinel."""
# expect-fail: work
# expect-message: at most 1 call(s) of the work were in progress at once

import multiprocessing
import time

SENTINEL = None


def square(n):
    time.sleep(0.5)
    return n * n


def worker(tasks, results):
    mine = []
    while (n := tasks.get()) is not SENTINEL:
        mine.append(n)
    for n in mine:
        results.put((n, square(n)))


def run(numbers, n_workers=3):
    tasks = multiprocessing.Queue()
    results = multiprocessing.Queue()
    procs = []
    for _ in range(n_workers):
        p = multiprocessing.Process(target=worker, args=(tasks, results))
        p.start()
        procs.append(p)
    for n in numbers:
        tasks.put(n)
    for _ in procs:
        tasks.put(SENTINEL)
    squares = {}
    for _ in numbers:
        n, sq = results.get()
        squares[n] = sq
    for p in procs:
        p.join()
    return squares
