"""Worker processes fed by a queue.

``square(n)`` (given) is the work: it takes 0.5 s and returns ``n * n``.  Write ``worker(tasks, results)``, the
loop each worker process runs, and ``run(numbers, n_workers)``, which starts ``n_workers`` worker processes,
feeds them ``numbers`` through one ``multiprocessing.Queue`` and collects ``(n, n * n)`` pairs from another.
``run`` returns a dict ``{n: n * n}``.

The lesson
    A ``multiprocessing.Queue`` carries (pickled) items between processes; ``get()`` blocks until there is one.
    Which worker takes which task is decided at run time, so results come back in any order: key them by
    task (here, a dict).  A worker cannot know that no more tasks will come, so the main program tells it:
    after the tasks, put one *sentinel* (``SENTINEL``, i.e. ``None``) **per worker**; each worker stops when it
    takes one.  Too few sentinels and some worker waits forever (a deadlock); too many and they are left in
    the queue.  Collect exactly one result per task, then ``join()`` every worker, so that each one exits on
    its own with exit code 0 and none is left behind.  Do not ``terminate()`` workers instead of telling them
    to stop.
    Docs: https://docs.python.org/3/library/multiprocessing.html#exchanging-objects-between-processes and
    https://docs.python.org/3/library/multiprocessing.html#programming-guidelines

Check your work:  course check processes/queue_workers_processes   (or: pytest exercises/processes/queue_workers_processes.py)
Run it and watch:  python exercises/processes/queue_workers_processes.py
"""

import multiprocessing  # noqa: F401  (you will need it)
import time

SENTINEL = None  # put one of these per worker, after the tasks: "no more work, stop"


def square(n):
    """The work, given: 0.5 s of (simulated) effort, then ``n * n``."""
    time.sleep(0.5)
    return n * n


def worker(tasks, results):
    """Take numbers from ``tasks`` until a SENTINEL; for each number ``n`` put ``(n, square(n))`` on ``results``."""
    # TODO: loop: n = tasks.get(); stop (return) if n is SENTINEL; otherwise results.put((n, square(n)))
    raise NotImplementedError("worker(): take tasks until the sentinel, put (n, square(n)) for each")


def run(numbers, n_workers=3):
    """Square ``numbers`` with ``n_workers`` worker processes; return ``{n: n * n}``."""
    # TODO: make a tasks queue and a results queue; start n_workers Processes running worker(tasks, results);
    # put every number, then one SENTINEL per worker; get one result per number; join every worker.
    raise NotImplementedError("run(): start the workers, feed the queue, send sentinels, collect, join")


def main():
    squares = run([3, 1, 4, 1.5, 9, 2, 6], n_workers=3)
    for n in sorted(squares):
        print(f"{n} squared is {squares[n]}")


if __name__ == "__main__":
    main()
