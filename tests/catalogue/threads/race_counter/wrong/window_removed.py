"""Drops the other work's sleep from worker() and leaves `counter.value += 1` unlocked: no thread ever pauses."""
# expect-fail: workers
# expect-message: none of your 6 threads reached the work's pause


import threading
import time


class Counter:
    """A count shared by every thread, and the lock that guards it."""

    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()


def increment(counter):
    """Add one to ``counter.value``."""
    counter.value += 1  # no lock needed (so it seems)


def worker(counter, times):
    """Call ``increment(counter)`` ``times`` times."""
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
