"""Hands the pool dummy calls (abs) so that it looks busy, while the parent counts the primes itself."""
# expect-fail: work
# expect-message: main

import multiprocessing


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count


def prime_counts(limits, workers=2):
    with multiprocessing.Pool(workers) as pool:
        pool.map(abs, limits)
    return [count_primes(limit) for limit in limits]
