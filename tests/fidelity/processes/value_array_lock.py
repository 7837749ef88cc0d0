"""multiprocessing.Value and Array shared between processes, updated under the Value's lock."""

import multiprocessing as mp
import time


def add(counter, slots, i):
    for _ in range(3):
        time.sleep(0.05)
        with counter.get_lock():
            counter.value += 1
    slots[i] = i * i


def main():
    counter = mp.Value("i", 0)
    slots = mp.Array("i", 4)
    procs = [mp.Process(target=add, args=(counter, slots, i)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("counter", counter.value, "slots", list(slots))
