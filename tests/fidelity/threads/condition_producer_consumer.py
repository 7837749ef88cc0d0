"""Condition: consumers wait until the producer has made an item, and are notified one at a time."""

import threading
import time

items = []
cond = threading.Condition()


def consumer(name):
    with cond:
        while not items:
            cond.wait()
        item = items.pop(0)
    print(f"{name} got {item}")


def producer():
    for i in range(3):
        time.sleep(0.25)
        with cond:
            items.append(f"item{i}")
            print("made", f"item{i}")
            cond.notify()


def main():
    consumers = [threading.Thread(target=consumer, args=(f"c{i}",)) for i in range(3)]
    for c in consumers:
        c.start()
        time.sleep(0.01)
    p = threading.Thread(target=producer)
    p.start()
    p.join()
    for c in consumers:
        c.join()
    print("left over:", items)
