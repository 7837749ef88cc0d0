"""`counter.value += 1` in worker() itself, no lock anywhere: the kit switches threads between the read and the write."""
# expect-fail: returns
# expect-message: This showed under schedule
# expect-message: increments were lost


import threading
import time


class Counter:
    """A count shared by every thread, and the lock that guards it."""

    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()


def increment(counter):
    """Add one to ``counter.value``."""
    counter.value += 1


def worker(counter, times):
    """Count ``times`` times, with some other work (a short sleep) before each."""
    for _ in range(times):
        time.sleep(0.01)  # some other work, done at the same time as the other threads
        counter.value += 1


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
