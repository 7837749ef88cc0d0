"""An RLock taken again by the thread that holds it (a recursive helper), and another thread waiting for it."""

import threading
import time

lock = threading.RLock()


def countdown(n):
    with lock:
        if n == 0:
            print("liftoff")
            return
        time.sleep(0.1)
        print("count", n)
        countdown(n - 1)


def other():
    time.sleep(0.05)
    print("other wants the lock")
    with lock:
        print("other got the lock")


def main():
    a = threading.Thread(target=countdown, args=(3,))
    b = threading.Thread(target=other)
    a.start()
    b.start()
    a.join()
    b.join()
    print("acquire without blocking:", lock.acquire(blocking=False))
    lock.release()
