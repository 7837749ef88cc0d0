"""One lock around the counting loop of each worker, the other work left outside it."""


import threading
import time


class Counter:
    """A count shared by every thread, and the lock that guards it."""

    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()


def increment(counter):
    """Add one to ``counter.value`` (the caller holds counter.lock)."""
    counter.value += 1


def worker(counter, times):
    """Do the other work of all ``times`` rounds, then count them all at once under the lock."""
    for _ in range(times):
        time.sleep(0.01)  # some other work, done at the same time as the other threads
    with counter.lock:
        for _ in range(times):
            increment(counter)


def count_in_threads(n_threads, times):
    """Run ``worker(counter, times)`` in ``n_threads`` threads at once; return the final ``counter.value``."""
    counter = Counter()
    threads = [threading.Thread(target=worker, args=(counter, times)) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter.value


if __name__ == "__main__":
    print(f"count: {count_in_threads(4, 100)} (expected 400)")
