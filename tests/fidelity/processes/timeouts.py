"""Timeouts across processes: a get, an acquire and an event wait get what another process sends in time, or give
up at their deadline."""

import multiprocessing as mp
import queue
import time


def sender(items, permits, ready):
    time.sleep(0.3)
    items.put("first")
    time.sleep(0.3)
    permits.release()
    time.sleep(0.9)
    ready.set()


def main():
    items, permits, ready = mp.Queue(), mp.Semaphore(0), mp.Event()
    p = mp.Process(target=sender, args=(items, permits, ready))
    p.start()
    print("got", items.get(timeout=1))
    print("permit:", permits.acquire(timeout=1))
    print("second permit:", permits.acquire(timeout=0.2))
    try:
        items.get(timeout=0.3)
    except queue.Empty:
        print("no second item")
    print("ready soon:", ready.wait(0.1))
    print("ready at last:", ready.wait(2))
    p.join()
