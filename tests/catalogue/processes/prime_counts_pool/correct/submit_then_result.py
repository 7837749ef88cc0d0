"""Submits every call to a ProcessPoolExecutor first, then collects the futures in input order."""
# expect: pass

from concurrent.futures import ProcessPoolExecutor


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    with ProcessPoolExecutor(max_workers=workers) as executor:
        futures = [executor.submit(count_primes, limit) for limit in limits]
        return [future.result() for future in futures]
