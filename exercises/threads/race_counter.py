"""A shared counter, updated by several threads: make it safe with a lock.

``count_in_threads(n_threads, times)`` starts ``n_threads`` threads that each call ``increment(counter)``
``times`` times on one shared ``Counter``, waits for all of them, and returns ``counter.value``, which must be
``n_threads * times``.

``increment`` is written out for you, and it is *unsafe*: it reads the value, lets other threads run (that is
the ``time.sleep(0)``), then writes back the value it read plus one.  Two threads that both read 7 both write 8:
one update is lost.  ``counter.value += 1`` has the same read / write window, only narrower, so it loses
updates more rarely, which is worse: the bug hides.

The lesson
    A ``threading.Lock`` lets one thread at a time through a block of code: ``with counter.lock:`` waits until
    no other thread holds the lock, and releases it at the end of the block, even on an exception.  Put the
    *whole* read / yield / write inside it, and make every thread use the *same* lock object: a lock around the
    read alone, or a fresh ``threading.Lock()`` per call, protects nothing.  Start every thread before you join
    any, otherwise they never run at the same time.
    Docs: https://docs.python.org/3/library/threading.html#lock-objects
          https://docs.python.org/3/library/threading.html#using-locks-conditions-and-semaphores-in-the-with-statement

Check your work:  course check threads/race_counter   (or: pytest exercises/threads/race_counter.py)
Run it and watch:  python exercises/threads/race_counter.py
"""

import threading
import time


class Counter:
    """A count shared by every thread, and the lock that guards it."""

    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()


def increment(counter):
    """Add one to ``counter.value``: read, let other threads run, write back.  Make it safe."""
    # TODO: hold counter.lock around all three steps below (indent them under `with counter.lock:`)
    value = counter.value  # 1. read
    time.sleep(0)  # 2. yield: let other threads run (a real thread switch can come at any moment)
    counter.value = value + 1  # 3. write back what was read, plus one


def worker(counter, times):
    """Call ``increment(counter)`` ``times`` times."""
    for _ in range(times):
        increment(counter)


def count_in_threads(n_threads, times):
    """Run ``worker(counter, times)`` in ``n_threads`` threads at once; return the final ``counter.value``."""
    # TODO: make one Counter(); create n_threads threads with target=worker, args=(counter, times);
    #       start them all, then join them all, then return counter.value
    raise NotImplementedError("count_in_threads(): start n_threads threads running worker, join them all, "
                              "return counter.value")


if __name__ == "__main__":
    print(f"count: {count_in_threads(4, 1000)} (expected 4000)")
