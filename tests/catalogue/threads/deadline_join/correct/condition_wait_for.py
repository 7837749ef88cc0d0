"""The thread stores its value and notifies a Condition; the caller waits with wait_for(predicate, timeout)."""


import threading
import time


def run_with_deadline(func, deadline):
    """Run ``func()`` in a thread and wait for it at most ``deadline`` seconds.

    Return ``(True, value)`` if ``func`` returned ``value`` in time, ``(False, None)`` if it was still running at
    the deadline (it goes on in the background, in a daemon thread, and never delays the program's exit).
    """
    cond = threading.Condition()
    box = []

    def target():
        value = func()
        with cond:
            box.append(value)
            cond.notify_all()

    threading.Thread(target=target, daemon=True).start()
    with cond:
        if cond.wait_for(lambda: box, timeout=deadline):
            return True, box[0]
    return False, None


def slow_answer():
    """A stand-in for a slow call: 2 s of work, then an answer."""
    time.sleep(2)
    return 42


if __name__ == "__main__":
    print(run_with_deadline(slow_answer, 3))  # (True, 42) after 2 s
    print(run_with_deadline(slow_answer, 0.5))  # (False, None) after 0.5 s
