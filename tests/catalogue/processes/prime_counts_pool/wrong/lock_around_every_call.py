"""One lock, given to every worker, held around every call: the pool gets all the calls at once, but only one
worker at a time can count, so nothing runs in parallel."""
# expect-fail: parallel
# expect-message: held the same lock

import multiprocessing

LOCK = None


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count



def share(lock):
    global LOCK
    LOCK = lock


def count_locked(limit):
    with LOCK:
        return count_primes(limit)


def prime_counts(limits, workers=2):
    lock = multiprocessing.Lock()
    with multiprocessing.Pool(workers, initializer=share, initargs=(lock,)) as pool:
        return pool.map(count_locked, limits)
