"""Wraps the limits in another list: map() then hands the whole list to count_primes as one item, which fails in the worker."""
# expect-fail: runs, returns
# expect-message: TypeError

import multiprocessing


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    with multiprocessing.Pool(workers) as pool:
        return pool.map(count_primes, [limits])
