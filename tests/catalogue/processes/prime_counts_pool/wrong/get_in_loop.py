"""Waits for each apply_async result before submitting the next call, so only one worker ever works."""
# expect-fail: parallel
# expect-message: one after another

import multiprocessing


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    with multiprocessing.Pool(workers) as pool:
        return [pool.apply_async(count_primes, (limit,)).get() for limit in limits]
