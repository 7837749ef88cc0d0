"""Numbers and letters, with threads.

Two workers run at the same time: ``print_numbers()`` prints ``Number: 1`` to ``Number: 5``, sleeping 1 second
before each line; ``print_letters()`` prints ``Letter: a`` to ``Letter: e``, sleeping 1.5 seconds before each
line.  ``main()`` runs both in two threads, waits for both, then prints ``Done!``.

The lesson
    ``threading.Thread(target=f)`` makes a thread that will run ``f`` (pass the function, do not call it).
    ``t.start()`` starts the thread and returns at once, so the caller goes on while ``f`` runs.
    ``t.join()`` waits until the thread has finished.  Start *both* threads before you join either one,
    otherwise they run one after the other.  Only when both are joined is the work really done.

Check your work:  course check threads/numbers_letters_threads   (or: pytest exercises/threads/numbers_letters_threads.py)
Run it and watch:  python exercises/threads/numbers_letters_threads.py
"""

import threading  # noqa: F401  (you will need it)
import time  # noqa: F401


def print_numbers():
    """Print ``Number: 1`` ... ``Number: 5``, sleeping 1 s before each line."""
    # TODO: for i from 1 to 5: sleep 1 second, then print f"Number: {i}"
    raise NotImplementedError("print_numbers(): sleep 1 s, then print 'Number: i', for i from 1 to 5")


def print_letters():
    """Print ``Letter: a`` ... ``Letter: e``, sleeping 1.5 s before each line."""
    # TODO: for each letter of "abcde": sleep 1.5 seconds, then print f"Letter: {letter}"
    raise NotImplementedError("print_letters(): sleep 1.5 s, then print 'Letter: x', for x in 'abcde'")


def main():
    """Run both functions in two threads at the same time, wait for both, then print ``Done!``."""
    # TODO: create two threads (target=print_numbers, target=print_letters), start both, join both,
    #       then print "Done!"
    raise NotImplementedError("main(): start two threads, join both, then print 'Done!'")


if __name__ == "__main__":
    main()
