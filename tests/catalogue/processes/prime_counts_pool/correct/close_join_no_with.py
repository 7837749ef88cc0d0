"""No with block: the pool is closed and joined in a finally: clause, after map has returned every count."""

import multiprocessing


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    pool = multiprocessing.Pool(processes=workers)
    try:
        counts = pool.map(count_primes, limits, chunksize=1)
    finally:
        pool.close()
        pool.join()
    return counts
