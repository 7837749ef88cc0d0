"""Prime counts with a pool of processes.

``count_primes(limit)`` (given) counts the primes below ``limit`` by trial division: pure CPU work, the kind
that threads cannot speed up in CPython (the GIL lets one thread run Python code at a time) but processes can.
Write ``prime_counts(limits, workers)``: count the primes below each limit using a pool of ``workers``
processes, and return the counts **in the order of** ``limits``.  Nothing is printed (the caller prints the
counts returned), and every count is made by ``count_primes`` in a worker process.  The grader calls it with
other limits and other numbers of workers too (1 to 8, a limit given twice): use the parameters, not the demo's.

The lesson
    ``multiprocessing.Pool(n)`` starts ``n`` worker processes once and hands them calls; ``pool.map(f, items)``
    sends every item at once, lets the workers take them in parallel, and gives the results back in the order
    of the items (whichever worker finished first).  ``concurrent.futures.ProcessPoolExecutor`` does the same
    with futures (``executor.map``, or ``submit`` then ``result()``).  Hand all the work over *before* waiting
    for any result: ``pool.apply_async(f, (x,)).get()`` inside a loop waits for each call before sending the
    next, so only one worker ever works.  The function you hand to a pool must be defined at the top level of
    a module (it is sent to the workers by name), and the pool must be created under
    ``if __name__ == "__main__":`` (or inside a function called from there).
    Docs: https://docs.python.org/3/library/multiprocessing.html#using-a-pool-of-workers and
    https://docs.python.org/3/library/concurrent.futures.html#processpoolexecutor

    (The grader does not time your program: the grading machine may have a single core.  It checks that the
    pool, of the size asked for, was given several calls at once, that they ran in worker processes (and not
    one at a time behind a lock), and the results.)

Check your work:  course check processes/prime_counts_pool   (or: pytest exercises/processes/prime_counts_pool.py)
Run it and watch:  python exercises/processes/prime_counts_pool.py
"""

import multiprocessing  # noqa: F401  (you will need it, or concurrent.futures)


def count_primes(limit):
    """How many primes are below ``limit`` (trial division: deliberately CPU-bound).  Given."""
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count


def prime_counts(limits, workers=2):
    """Return ``[count_primes(limit) for limit in limits]``, computed by a pool of ``workers`` processes."""
    # TODO: create a multiprocessing.Pool(workers) in a with-block and return pool.map(count_primes, limits)
    raise NotImplementedError("prime_counts(): count the primes of every limit with a process pool, in order")


def main():
    limits = [20_000, 5_000, 30_000, 10_000]
    for limit, count in zip(limits, prime_counts(limits, workers=2)):
        print(f"primes below {limit}: {count}")


if __name__ == "__main__":
    main()
