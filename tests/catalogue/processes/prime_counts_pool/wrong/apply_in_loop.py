"""Uses the blocking pool.apply in a loop: each call waits for the previous one."""
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
        return [pool.apply(count_primes, (limit,)) for limit in limits]
