"""Worker processes fed by a queue (reference solution).

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

import multiprocessing
import time

SENTINEL = None  # put one of these per worker, after the tasks: "no more work, stop"


def square(n):
    """The work, given: 0.5 s of (simulated) effort, then ``n * n``."""
    time.sleep(0.5)
    return n * n


def worker(tasks, results):
    """Take numbers from ``tasks`` until a SENTINEL; for each number ``n`` put ``(n, square(n))`` on ``results``."""
    while True:
        n = tasks.get()
        if n is SENTINEL:
            return
        results.put((n, square(n)))


def run(numbers, n_workers=3):
    """Square ``numbers`` with ``n_workers`` worker processes; return ``{n: n * n}``."""
    tasks = multiprocessing.Queue()
    results = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=worker, args=(tasks, results)) for _ in range(n_workers)]
    for process in workers:
        process.start()
    for n in numbers:
        tasks.put(n)
    for _ in workers:
        tasks.put(SENTINEL)
    squares = dict(results.get() for _ in numbers)
    for process in workers:
        process.join()
    return squares


def main():
    squares = run([3, 1, 4, 1.5, 9, 2, 6], n_workers=3)
    for n in sorted(squares):
        print(f"{n} squared is {squares[n]}")


if __name__ == "__main__":
    main()
