"""LifoQueue and PriorityQueue: a consumer that starts late sees the items in their order."""

import queue
import threading
import time


def consume(q, name):
    time.sleep(0.2)
    while True:
        try:
            item = q.get(timeout=0.3)
        except queue.Empty:
            print(name, "empty")
            return
        print(name, "got", item)
        time.sleep(0.05)


def main():
    lifo, prio = queue.LifoQueue(), queue.PriorityQueue()
    for n in (1, 2, 3):
        lifo.put(n)
    for item in ((3, "low"), (1, "urgent"), (2, "normal")):
        prio.put(item)
    t = threading.Thread(target=consume, args=(lifo, "lifo"))
    t.start()
    t.join()
    t = threading.Thread(target=consume, args=(prio, "prio"))
    t.start()
    t.join()
