"""multiprocessing.Queue: a producer process and a consumer process, ended by a sentinel."""

import multiprocessing as mp
import time


def producer(q):
    for i in range(3):
        time.sleep(0.2)
        q.put(f"message {i}")
    q.put(None)


def consumer(q):
    while (msg := q.get()) is not None:
        print("received", msg)


def main():
    q = mp.Queue()
    procs = [mp.Process(target=producer, args=(q,)), mp.Process(target=consumer, args=(q,))]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("both finished")
