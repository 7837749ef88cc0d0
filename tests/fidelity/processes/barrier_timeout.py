"""A multiprocessing Barrier that one party never reaches breaks at its timeout; Condition.wait_for gives up at its
deadline, or returns once another process makes the predicate true."""

import multiprocessing as mp
import threading
import time


def arrive(barrier, n):
    time.sleep(0.2 * n)
    try:
        barrier.wait()
        print(f"party {n} went through")
    except threading.BrokenBarrierError:
        time.sleep(0.1 * n)
        print(f"party {n}: the barrier broke")


def finish(cond, done):
    time.sleep(1.5)
    with cond:
        done.value = 1
        cond.notify_all()


def main():
    barrier = mp.Barrier(4)  # three come: main and two parties
    parties = [mp.Process(target=arrive, args=(barrier, n)) for n in (1, 2)]
    for p in parties:
        p.start()
    try:
        barrier.wait(timeout=0.7)
    except threading.BrokenBarrierError:
        print("main: the barrier broke")
    for p in parties:
        p.join()
    cond, done = mp.Condition(), mp.Value("i", 0)
    f = mp.Process(target=finish, args=(cond, done))
    f.start()
    with cond:
        print("done soon:", cond.wait_for(lambda: done.value == 1, timeout=0.3))
        print("done at last:", cond.wait_for(lambda: done.value == 1, timeout=2))
    f.join()
