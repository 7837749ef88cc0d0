"""Passes chunksize=len(limits): the whole list is one call, so one worker does all the work."""
# expect-fail: parallel
# expect-message: single call

import multiprocessing


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    with multiprocessing.Pool(workers) as pool:
        return pool.map(count_primes, limits, chunksize=len(limits))
