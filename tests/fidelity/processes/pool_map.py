"""Pool.map: the results in input order, four calls on two processes."""

import time
from multiprocessing import Pool


def slow_square(n):
    time.sleep(0.2)
    return n * n


def main():
    with Pool(processes=2) as pool:
        print(pool.map(slow_square, range(4)))
    print("pool closed")
