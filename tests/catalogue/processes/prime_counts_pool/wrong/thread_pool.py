"""Uses multiprocessing.pool.ThreadPool: threads in the main process, which the GIL runs one at a time."""
# expect-fail: parallel
# expect-message: pool of threads

from multiprocessing.pool import ThreadPool


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    with ThreadPool(workers) as pool:
        return pool.map(count_primes, limits)
