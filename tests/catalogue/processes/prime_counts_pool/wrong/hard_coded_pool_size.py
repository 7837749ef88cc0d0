"""A pool of two whatever it is asked for: right for the demo (workers=2), but the pool's size is written into
the program instead of taken from its parameter."""
# expect-fail: parallel
# expect-message: the pool had 2 worker processes

import multiprocessing


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    with multiprocessing.Pool(2) as pool:
        return pool.map(count_primes, limits)
