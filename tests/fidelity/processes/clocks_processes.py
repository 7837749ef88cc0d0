"""A child process times its own work with time.monotonic and clock_gettime; the parent times the join."""

import multiprocessing as mp
import time


def child(seconds):
    began, c0 = time.monotonic(), time.clock_gettime(time.CLOCK_MONOTONIC)
    time.sleep(seconds)
    took, by_id = time.monotonic() - began, time.clock_gettime(time.CLOCK_MONOTONIC) - c0
    print(f"child: {took:.1f} s, clock_gettime {by_id:.1f} s")


def main():
    began = time.time()
    p = mp.Process(target=child, args=(0.5,))
    p.start()
    p.join()
    print(f"parent waited {time.time() - began:.1f} s")
