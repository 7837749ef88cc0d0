"""A table of known answers for the limits it has seen, the pool only for the others: the lines and results are
right, but the work behind the table's answers is never done."""
# expect-fail: work
# expect-message: never happened

import multiprocessing

KNOWN = {0: 0, 1: 0, 2: 0, 10: 4, 20_000: 2262, 30_000: 3245}


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def prime_counts(limits, workers=2):
    todo = [limit for limit in limits if limit not in KNOWN]
    with multiprocessing.Pool(workers) as pool:
        counted = dict(zip(todo, pool.map(count_primes, todo), strict=True))
    return [KNOWN[limit] if limit in KNOWN else counted[limit] for limit in limits]
