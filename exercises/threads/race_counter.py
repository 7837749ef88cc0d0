"""A shared counter, updated by several threads: make it safe with a lock.

``count_in_threads(n_threads, times)`` starts ``n_threads`` threads that each call ``increment(counter)``
``times`` times on one shared ``Counter``, waits for all of them, and returns ``counter.value``, which must be
``n_threads * times``.

``increment`` is written out for you, and it is *unsafe*: ``counter.value += 1`` looks like one step, but it is
three: a read of ``counter.value``, an add, and a write of the result.  A thread can be switched out between
the read and the write; two threads that both read 7 both write 8, and one update is lost.  For real this
happens only now and then, which is worse: the bug hides.  The kit runs your threads under several schedules,
some of which switch threads at every call and every store to shared data (so also between the read and the
write of ``+=``): it shows the lost updates on every check, not just on an unlucky run.

The lesson
    A ``threading.Lock`` lets one thread at a time through a block of code: ``with counter.lock:`` waits until
    no other thread holds the lock, and releases it at the end of the block, even on an exception.  Put the
    *whole* read / add / write inside it, and make every thread use the *same* lock object: a lock around the
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
    """Add one to ``counter.value``: a read, an add and a write.  Make it safe."""
    # TODO: hold counter.lock around this line (indent it under `with counter.lock:`)
    counter.value += 1  # read counter.value, add one, write it back: another thread may run in between


def worker(counter, times):
    """Call ``increment(counter)`` ``times`` times, with some other work (a short sleep) before each."""
    for _ in range(times):
        time.sleep(0.01)  # some other work, done at the same time as the other threads
        increment(counter)


def count_in_threads(n_threads, times):
    """Run ``worker(counter, times)`` in ``n_threads`` threads at once; return the final ``counter.value``."""
    # TODO: make one Counter(); create n_threads threads with target=worker, args=(counter, times);
    #       start them all, then join them all, then return counter.value
    raise NotImplementedError("count_in_threads(): start n_threads threads running worker, join them all, "
                              "return counter.value")


if __name__ == "__main__":
    print(f"count: {count_in_threads(4, 100)} (expected 400)")
