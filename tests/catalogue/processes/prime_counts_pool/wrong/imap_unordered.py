"""Collects the counts with imap_unordered: they come back in the order the calls finish, not the order of the limits."""
# expect-fail: returns
# expect-message: returned

import multiprocessing


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    with multiprocessing.Pool(workers) as pool:
        return list(pool.imap_unordered(count_primes, limits))
