"""A bounded queue.Queue: the fast producer blocks on put() until the slow consumer makes room."""

import queue
import threading
import time

buffer = queue.Queue(maxsize=2)


def producer():
    for i in range(5):
        buffer.put(i)
        print("put", i)
    buffer.put(None)


def consumer():
    while (item := buffer.get()) is not None:
        time.sleep(0.2)
        print("consumed", item)


def main():
    threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        buffer.get(timeout=0.1)
    except queue.Empty:
        print("empty at the end")
