"""Numbers and letters, with processes.

The same two workers as in the threads exercise (``Number: 1`` to ``Number: 5`` every 1 s, ``Letter: a`` to
``Letter: e`` every 1.5 s), but ``main()`` runs each one in its own child *process*, waits for both, then
prints ``Done!``.

The lesson
    ``multiprocessing.Process(target=f)`` works like a thread, but ``f`` runs in a separate Python
    interpreter with its own memory: real parallelism, even for CPU-bound work.  ``start()`` launches it,
    ``join()`` waits for it to exit.  Start both before joining either.  Do not ``terminate()`` a worker to
    "finish" it: that kills it mid-work.  Keep the ``if __name__ == "__main__":`` guard: with the ``spawn``
    and ``forkserver`` start methods, each child imports this module again.

Check your work:  course check processes/numbers_letters_processes   (or: pytest exercises/processes/numbers_letters_processes.py)
Run it and watch:  python exercises/processes/numbers_letters_processes.py
"""

import multiprocessing  # noqa: F401  (you will need it)
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
    """Run both functions in two child processes at the same time, wait for both, then print ``Done!``."""
    # TODO: create two multiprocessing.Process objects, start both, join both, then print "Done!"
    raise NotImplementedError("main(): start two processes, join both, then print 'Done!'")


if __name__ == "__main__":
    main()
