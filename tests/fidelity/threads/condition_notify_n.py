"""Condition.notify(2) wakes two of the waiters; notify_all the rest."""

import threading
import time

cond = threading.Condition()
released = []


def waiter(i):
    with cond:
        cond.wait()
        released.append(i)
    time.sleep(0.05 * i)
    print("waiter", i, "released")


def main():
    threads = []
    for i in range(4):
        t = threading.Thread(target=waiter, args=(i,))
        t.start()
        threads.append(t)
        time.sleep(0.01)
    time.sleep(0.2)
    with cond:
        cond.notify(2)
    print("notified two")
    time.sleep(0.4)
    with cond:
        cond.notify_all()
    print("notified all")
    for t in threads:
        t.join()
    print("released", sorted(released))
