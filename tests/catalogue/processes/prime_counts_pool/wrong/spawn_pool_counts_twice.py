"""A spawn-context executor counts every limit, then the parent counts them all again to 'check' the results."""
# expect-fail: work
# expect-message: more than once

import concurrent.futures
import multiprocessing


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count


def prime_counts(limits, workers=2):
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=ctx) as executor:
        counts = list(executor.map(count_primes, limits))
    assert counts == [count_primes(limit) for limit in limits]
    return counts
