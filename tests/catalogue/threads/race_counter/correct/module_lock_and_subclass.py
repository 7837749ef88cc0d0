"""A module-level lock, and workers as a Thread subclass."""


import threading
import time


LOCK = threading.Lock()


class Worker(threading.Thread):
    def __init__(self, counter, times):
        super().__init__()
        self.counter, self.times = counter, times

    def run(self):
        worker(self.counter, self.times)


class Counter:
    """A count shared by every thread, and the lock that guards it."""

    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()


def increment(counter):
    """Add one to ``counter.value``: read, let other threads run, write back; the lock makes it one step."""
    with LOCK:
        value = counter.value
        time.sleep(0)
        counter.value = value + 1


def worker(counter, times):
    """Call ``increment(counter)`` ``times`` times."""
    for _ in range(times):
        increment(counter)


def count_in_threads(n_threads, times):
    """Run ``worker(counter, times)`` in ``n_threads`` threads at once; return the final ``counter.value``."""
    counter = Counter()
    threads = [Worker(counter, times) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter.value


if __name__ == "__main__":
    print(f"count: {count_in_threads(4, 1000)} (expected 4000)")
