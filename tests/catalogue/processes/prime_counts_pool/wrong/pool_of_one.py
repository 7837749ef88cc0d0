"""A pool of a single process: the calls run one after another."""
# expect-fail: parallel
# expect-message: 1 worker process

import multiprocessing


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    with multiprocessing.Pool(1) as pool:
        return pool.map(count_primes, limits)
