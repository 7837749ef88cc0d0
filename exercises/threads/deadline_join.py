"""Wait for a thread, but not past a deadline.

``run_with_deadline(func, deadline)`` runs ``func()`` in a new thread and waits for it at most ``deadline``
seconds.  It returns ``(True, value)`` as soon as ``func`` returns ``value``, or ``(False, None)`` at the
deadline if ``func`` is still running.  It must never keep its caller waiting past the deadline, and never
longer than ``func`` takes.

The lesson
    ``thread.join(timeout=s)`` waits until the thread ends or ``s`` seconds pass, whichever comes first, and
    returns ``None`` either way: ask ``thread.is_alive()`` afterwards to know which.  A thread cannot be killed,
    so the late one goes on in the background; make it a *daemon* (``daemon=True``) so that it does not keep
    the whole program from exiting.  A thread's return value is lost, so have the thread store it where the
    caller can read it (a dict, a list).  Do not use "the value is still None" as "not finished": ``func``
    may well return ``None``, ``0`` or ``""``.
    Docs: https://docs.python.org/3/library/threading.html#threading.Thread.join
          https://docs.python.org/3/library/threading.html#threading.Thread.daemon

Check your work:  course check threads/deadline_join   (or: pytest exercises/threads/deadline_join.py)
Run it and watch:  python exercises/threads/deadline_join.py
"""

import threading  # noqa: F401  (you will need it)
import time


def run_with_deadline(func, deadline):
    """Run ``func()`` in a thread and wait for it at most ``deadline`` seconds.

    Return ``(True, value)`` if ``func`` returned ``value`` in time, ``(False, None)`` if it was still running at
    the deadline (it goes on in the background, in a daemon thread, and never delays the program's exit).
    """
    # TODO: make a dict `box`; a daemon thread runs target(), which stores box["value"] = func();
    #       start it, join(timeout=deadline), then use is_alive() to choose what to return
    raise NotImplementedError("run_with_deadline(): run func in a daemon thread, join with a timeout, report")


def slow_answer():
    """A stand-in for a slow call: 2 s of work, then an answer."""
    time.sleep(2)
    return 42


if __name__ == "__main__":
    print(run_with_deadline(slow_answer, 3))  # (True, 42) after 2 s
    print(run_with_deadline(slow_answer, 0.5))  # (False, None) after 0.5 s
