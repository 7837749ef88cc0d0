"""A Semaphore lets at most two workers into the section at once."""

import threading
import time

slots = threading.Semaphore(2)


def visit(name):
    print(f"{name} waiting")
    with slots:
        print(f"{name} inside")
        time.sleep(0.3)
    print(f"{name} left")


def main():
    visitors = []
    for i in range(4):
        t = threading.Thread(target=visit, args=(f"v{i}",))
        t.start()
        visitors.append(t)
        time.sleep(0.05)
    for t in visitors:
        t.join()
    print("everyone visited")
