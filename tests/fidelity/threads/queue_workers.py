"""queue.Queue: a producer and two workers, task_done() and join(), then sentinels (which worker takes which job
is a race, so the lines do not say)."""

import queue
import threading
import time

jobs = queue.Queue()


def worker(name):
    while True:
        job = jobs.get()
        if job is None:
            jobs.task_done()
            break
        time.sleep(job)
        print(f"a worker did a {job} s job")
        jobs.task_done()


def main():
    workers = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for w in workers:
        w.start()
    for job in (0.3, 0.1, 0.25, 0.4):
        jobs.put(job)
    jobs.join()
    print("all jobs done")
    for _ in workers:
        jobs.put(None)
    for w in workers:
        w.join()
    print("workers stopped, queue empty:", jobs.empty())
