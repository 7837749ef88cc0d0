"""queue.SimpleQueue between two threads, with get(timeout) raising Empty at the end."""

import queue
import threading
import time

q = queue.SimpleQueue()


def sensor():
    for reading in (20.5, 21.0, 21.7):
        time.sleep(0.2)
        q.put(reading)


def main():
    threading.Thread(target=sensor).start()
    while True:
        try:
            value = q.get(timeout=0.5)
        except queue.Empty:
            print("no reading for 0.5 s, stopping")
            break
        print("reading", value)
    print("qsize", q.qsize())
