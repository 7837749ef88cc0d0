"""multiprocessing.Barrier and Semaphore: the last arrival releases the rest; then two at a time in the section."""

import multiprocessing as mp
import time


def worker(barrier, slots, i):
    time.sleep(0.2 * i)
    barrier.wait()
    time.sleep(0.1 * i)
    with slots:
        time.sleep(0.3)
        print(f"worker {i} used a slot")


def main():
    barrier, slots = mp.Barrier(3), mp.Semaphore(2)
    procs = [mp.Process(target=worker, args=(barrier, slots, i)) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("all done")
