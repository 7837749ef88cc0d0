"""Counts the primes in a plain list comprehension: no pool, everything in the main process."""
# expect-fail: parallel
# expect-message: no call went to a process pool

import multiprocessing  # noqa: F401


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    return [count_primes(limit) for limit in limits]
