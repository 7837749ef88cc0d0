"""A Process subclass that owns its queues and sends a string sentinel."""
# expect: pass

import multiprocessing
import threading  # noqa: F401
import time
import sys  # noqa: F401

SENTINEL = None


def square(n):
    time.sleep(0.5)
    return n * n


STOP = "stop"


class Squarer(multiprocessing.Process):
    def __init__(self, tasks, results):
        super().__init__()
        self.tasks, self.results = tasks, results

    def run(self):
        while (n := self.tasks.get()) != STOP:
            self.results.put((n, square(n)))


def run(numbers, n_workers=3):
    tasks, results = multiprocessing.Queue(), multiprocessing.Queue()
    workers = [Squarer(tasks, results) for _ in range(n_workers)]
    for w in workers:
        w.start()
    for n in numbers:
        tasks.put(n)
    for _ in workers:
        tasks.put(STOP)
    squares = {}
    for _ in numbers:
        n, sq = results.get()
        squares[n] = sq
    for w in workers:
        w.join()
        assert w.exitcode == 0
    return squares
