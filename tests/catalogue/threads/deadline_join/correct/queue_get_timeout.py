"""The thread puts the value in a queue; the caller waits in get(timeout=deadline)."""


import queue
import threading
import time


def run_with_deadline(func, deadline):
    """Run ``func()`` in a thread and wait for it at most ``deadline`` seconds.

    Return ``(True, value)`` if ``func`` returned ``value`` in time, ``(False, None)`` if it was still running at
    the deadline (it goes on in the background, in a daemon thread, and never delays the program's exit).
    """
    results = queue.Queue()
    worker = threading.Thread(target=lambda: results.put(func()))
    worker.daemon = True
    worker.start()
    try:
        return True, results.get(timeout=deadline)
    except queue.Empty:
        return False, None


def slow_answer():
    """A stand-in for a slow call: 2 s of work, then an answer."""
    time.sleep(2)
    return 42


if __name__ == "__main__":
    print(run_with_deadline(slow_answer, 3))  # (True, 42) after 2 s
    print(run_with_deadline(slow_answer, 0.5))  # (False, None) after 0.5 s
