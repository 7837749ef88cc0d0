"""concurrent.futures.ProcessPoolExecutor.map, which keeps the order of the inputs."""
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
        return list(executor.map(count_primes, limits))
