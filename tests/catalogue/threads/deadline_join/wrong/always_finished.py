"""Reports every call as finished, even the ones still running at the deadline."""
# expect-fail: returns
# expect-message: with a function that returns 'late' after 3 s and a deadline of 1 s, run_with_deadline() returned (true, none)


import threading
import time


def run_with_deadline(func, deadline):
    """Run ``func()`` in a thread and wait for it at most ``deadline`` seconds.

    Return ``(True, value)`` if ``func`` returned ``value`` in time, ``(False, None)`` if it was still running at
    the deadline (it goes on in the background, in a daemon thread, and never delays the program's exit).
    """
    box = {}

    def target():
        box["value"] = func()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout=deadline)
    return True, box.get("value")


def slow_answer():
    """A stand-in for a slow call: 2 s of work, then an answer."""
    time.sleep(2)
    return 42


if __name__ == "__main__":
    print(run_with_deadline(slow_answer, 3))  # (True, 42) after 2 s
    print(run_with_deadline(slow_answer, 0.5))  # (False, None) after 0.5 s
