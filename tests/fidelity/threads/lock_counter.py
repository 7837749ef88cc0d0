"""A Lock serialises a slow critical section: each worker waits for the one before it."""

import threading
import time

balance = 0
lock = threading.Lock()


def deposit(who, amount):
    global balance
    with lock:
        current = balance
        time.sleep(0.2)  # a slow read-modify-write
        balance = current + amount
        print(f"{who} deposited {amount}, balance {balance}")


def main():
    workers = []
    for i in range(4):
        t = threading.Thread(target=deposit, args=(f"teller{i}", 10 * (i + 1)))
        t.start()
        workers.append(t)
        time.sleep(0.01)
    for t in workers:
        t.join()
    print("final balance", balance, "locked:", lock.locked())
