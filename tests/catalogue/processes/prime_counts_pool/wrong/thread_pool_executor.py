"""Uses concurrent.futures.ThreadPoolExecutor instead of a process pool."""
# expect-fail: parallel
# expect-message: no call went to a process pool

from concurrent.futures import ThreadPoolExecutor


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(count_primes, limits))
