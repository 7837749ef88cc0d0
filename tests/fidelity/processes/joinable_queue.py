"""multiprocessing.JoinableQueue: the parent waits in join() until a worker has called task_done() for each item."""

import multiprocessing as mp
import time


def worker(q):
    while True:
        seconds = q.get()
        time.sleep(seconds)
        print(f"worked {seconds} s")
        q.task_done()


def main():
    q = mp.JoinableQueue()
    p = mp.Process(target=worker, args=(q,), daemon=True)
    p.start()
    for seconds in (0.2, 0.3):
        q.put(seconds)
    q.join()
    print("all items done")
