"""Appends the counts as the futures complete (as_completed): they come back in the order the calls finish."""
# expect-fail: returns
# expect-message: returned

from concurrent.futures import ProcessPoolExecutor, as_completed


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count


def prime_counts(limits, workers=2):
    with ProcessPoolExecutor(workers) as executor:
        futures = [executor.submit(count_primes, limit) for limit in limits]
        return [future.result() for future in as_completed(futures)]
