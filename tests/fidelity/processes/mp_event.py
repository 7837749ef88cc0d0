"""multiprocessing.Event: children wait until the parent sets it."""

import multiprocessing as mp
import time


def runner(go, i):
    go.wait()
    time.sleep(0.1 * i)
    print(f"runner {i} finished")


def main():
    go = mp.Event()
    procs = [mp.Process(target=runner, args=(go, i)) for i in (1, 2)]
    for p in procs:
        p.start()
    time.sleep(0.5)
    print("go")
    go.set()
    for p in procs:
        p.join()
