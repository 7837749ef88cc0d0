"""Pool.apply_async with callbacks, get() on each result, and starmap."""

import time
from multiprocessing import Pool


def power(base, exp):
    time.sleep(0.1 * exp)
    return base**exp


def main():
    with Pool(2) as pool:
        results = [pool.apply_async(power, (2, e), callback=lambda v: print("callback", v)) for e in (3, 1)]
        print([r.get() for r in results])
        print(pool.starmap(power, [(3, 2), (4, 1)]))
        print(pool.apply(power, (5, 2)))
