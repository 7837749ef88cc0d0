"""as_completed with each future mapped back to its index: any completion order gives the input order."""
# expect: pass

from concurrent.futures import ProcessPoolExecutor, as_completed


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count


def prime_counts(limits, workers=2):
    counts = [None] * len(limits)
    with ProcessPoolExecutor(max_workers=workers) as executor:
        index = {executor.submit(count_primes, limit): i for i, limit in enumerate(limits)}
        for future in as_completed(index):
            counts[index[future]] = future.result()
    return counts
