"""Right lines, wrong process: the function handed to the pool prints each count itself, in a worker process,
as if it were the program's report (which the main program prints from the results)."""
# expect-fail: output
# expect-message: more time(s) than expected

import multiprocessing


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def count_and_report(limit):
    count = count_primes(limit)
    print(f"primes below {limit}: {count}")
    return count


def prime_counts(limits, workers=2):
    with multiprocessing.Pool(workers) as pool:
        return pool.map(count_and_report, limits)
