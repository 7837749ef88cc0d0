"""multiprocessing.Lock: processes print their two lines without interleaving."""

import multiprocessing as mp
import time


def report(lock, i):
    time.sleep(0.05 * i)
    with lock:
        print(f"process {i} begins")
        time.sleep(0.2)
        print(f"process {i} ends")


def main():
    lock = mp.Lock()
    procs = [mp.Process(target=report, args=(lock, i)) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
