"""multiprocessing.Manager: a dict and a list shared by worker processes (the list in the order they finish)."""

import multiprocessing as mp
import time


def record(shared, log, i):
    time.sleep(0.4 * i)
    shared[i] = f"result {i}"
    log.append(i)


def main():
    with mp.Manager() as manager:
        shared, log = manager.dict(), manager.list()
        procs = [mp.Process(target=record, args=(shared, log, i)) for i in (2, 1, 3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        print(dict(sorted(shared.items())), list(log))
