"""No sentinels: each worker loops `while not tasks.empty(): n = tasks.get()`. Two workers can both see one task
left, and the one that loses the race waits in get() forever (for real it hung 6 runs in 40)."""
# expect-fail: runs
# expect-message: paused just before
# expect-message: tasks.get()

import multiprocessing
import time

SENTINEL = None


def square(n):
    time.sleep(0.5)
    return n * n


def worker(tasks, results):
    while not tasks.empty():
        n = tasks.get()
        results.put((n, square(n)))


def run(numbers, n_workers=3):
    tasks, results = multiprocessing.Queue(), multiprocessing.Queue()
    for n in numbers:
        tasks.put(n)
    workers = [multiprocessing.Process(target=worker, args=(tasks, results)) for _ in range(n_workers)]
    for p in workers:
        p.start()
    squares = dict(results.get() for _ in numbers)
    for p in workers:
        p.join()
    return squares


def main():
    print(run([3, 1, 4, 1.5, 9, 2, 6], n_workers=3))


if __name__ == "__main__":
    main()
