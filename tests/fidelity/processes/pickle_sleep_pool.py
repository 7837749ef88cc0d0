"""Passing time.sleep itself to a process pool (it pickles by reference)."""

import time
from multiprocessing import Pool


def main():
    with Pool(2) as pool:
        print(pool.map(time.sleep, [0.3, 0.2]))
    print("slept")
