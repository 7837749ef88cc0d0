"""concurrent.futures.wait: FIRST_COMPLETED, then a timeout that leaves futures pending, then ALL_COMPLETED."""

import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait


def task(n):
    time.sleep(0.2 * n)
    return n


def main():
    with ThreadPoolExecutor(max_workers=4) as executor:
        futures = [executor.submit(task, n) for n in (3, 1, 4, 2)]
        done, pending = wait(futures, return_when=FIRST_COMPLETED)
        print("first:", [f.result() for f in done], "pending", len(pending))
        done, pending = wait(futures, timeout=0.3)
        print("by 0.5 s:", sorted(f.result() for f in done), "pending", len(pending))
        done, pending = wait(futures)
        print("all:", sorted(f.result() for f in done), "pending", len(pending))
