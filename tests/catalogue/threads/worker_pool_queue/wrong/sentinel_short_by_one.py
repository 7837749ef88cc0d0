"""Worker threads as a Thread subclass, but one sentinel too few: the others end, the last one waits forever."""
# expect-fail: runs
# expect-message: and nothing left running can wake

import queue
import threading

DONE = object()


class Worker(threading.Thread):
    def __init__(self, tasks, results, work):
        super().__init__()
        self.tasks, self.results, self.work = tasks, results, work

    def run(self):
        while (task := self.tasks.get()) is not DONE:
            index, item = task
            self.results[index] = self.work(item)


def run_pool(items, work, n_workers):
    items = list(items)
    tasks = queue.Queue()
    results = [None] * len(items)
    for pair in enumerate(items):
        tasks.put(pair)
    for _ in range(n_workers - 1):  # "the last worker stops by itself"
        tasks.put(DONE)
    workers = [Worker(tasks, results, work) for _ in range(n_workers)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return results
