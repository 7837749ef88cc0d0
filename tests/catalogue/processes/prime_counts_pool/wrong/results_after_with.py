"""Starts the counts in a `with Pool()` block but collects them after it: leaving the block stopped the pool."""
# expect-fail: returns
# expect-message: when its `with` block ended

import multiprocessing


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count


def prime_counts(limits, workers=2):
    with multiprocessing.Pool(workers) as pool:
        pending = pool.map_async(count_primes, limits)
    return pending.get(timeout=0)  # "the pool has had its time by now"


def main():
    limits = [20_000, 5_000, 30_000, 10_000]
    for limit, count in zip(limits, prime_counts(limits, workers=2), strict=False):
        print(f"primes below {limit}: {count}")
