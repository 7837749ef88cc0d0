"""multiprocessing.Condition: a child waits until the parent changes a shared Value and notifies."""

import multiprocessing as mp
import time


def waiter(cond, flag):
    with cond:
        cond.wait_for(lambda: flag.value == 1)
    time.sleep(0.1)
    print("child saw the flag")


def main():
    cond, flag = mp.Condition(), mp.Value("i", 0)
    p = mp.Process(target=waiter, args=(cond, flag))
    p.start()
    time.sleep(0.4)
    with cond:
        flag.value = 1
        cond.notify_all()
    print("parent set the flag")
    p.join()
    print("child joined")
