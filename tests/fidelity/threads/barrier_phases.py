"""Barrier: three workers arrive at different times and all go on when the last one arrives."""

import threading
import time

barrier = threading.Barrier(3, action=lambda: print("all three arrived"))


def worker(i):
    time.sleep(0.2 * (i + 1))
    print(f"worker {i} at the barrier")
    index = barrier.wait()
    time.sleep(0.1 * (i + 1))
    print(f"worker {i} past the barrier (arrival {index})")


def main():
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        threading.Barrier(2).wait(timeout=0.25)
    except threading.BrokenBarrierError:
        print("nobody came: broken")
