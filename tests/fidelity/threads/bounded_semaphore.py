"""BoundedSemaphore: releasing more than was acquired is an error, unlike a plain Semaphore."""

import threading
import time

pool = threading.BoundedSemaphore(1)


def use(name, seconds):
    with pool:
        print(f"{name} has the connection")
        time.sleep(seconds)
    print(f"{name} gave it back")


def main():
    a = threading.Thread(target=use, args=("alice", 0.4))
    b = threading.Thread(target=use, args=("bob", 0.2))
    a.start()
    b.start()
    print("acquire with timeout:", pool.acquire(timeout=0.1))
    a.join()
    b.join()
    try:
        pool.release()
    except ValueError as exc:
        print("too many releases:", exc)
    plain = threading.Semaphore(1)
    plain.release()
    print("a plain Semaphore allows it")
