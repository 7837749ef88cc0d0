"""Counts the first four limits, the demo's number of them: the size of the input is hard-coded."""
# expect-fail: returns, work
# expect-message: expected [25, 303, 0, 168, 4]

from concurrent.futures import ProcessPoolExecutor


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(count_primes, limits[i]) for i in range(min(4, len(limits)))]
        return [f.result() for f in futures]
