"""A Manager's queue, event and lock with timeouts: each waits as long as it says, on the same clock as the
processes that fill, set and release them."""

import multiprocessing as mp
import queue
import time


def helper(jobs, started, lock):
    with lock:
        time.sleep(0.4)
        jobs.put("job 1")
    time.sleep(0.6)
    started.set()


def main():
    with mp.Manager() as manager:
        jobs, started, lock = manager.Queue(), manager.Event(), manager.Lock()
        p = mp.Process(target=helper, args=(jobs, started, lock))
        p.start()
        time.sleep(0.1)
        print("lock free at once:", lock.acquire(timeout=0.1))
        print("lock free later:", lock.acquire(timeout=1))
        lock.release()
        print("got", jobs.get(True, 1))
        try:
            jobs.get(timeout=0.2)
        except queue.Empty:
            print("no more jobs")
        print("started soon:", started.wait(0.2))
        print("started at last:", started.wait(timeout=2))
        p.join()
