"""apply_async for every limit first, then get() each result, in order."""
# expect: pass

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
        pending = [pool.apply_async(count_primes, (limit,)) for limit in limits]
        return [result.get() for result in pending]
    finally:
        pool.close()
        pool.join()
