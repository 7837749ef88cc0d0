"""`while tasks.qsize() > 0: tasks.get()` with no sentinels: qsize() is a snapshot, and the last task can go to
another worker between it and the get()."""
# expect-fail: runs
# expect-message: paused just before

import multiprocessing
import time

SENTINEL = None


def square(n):
    time.sleep(0.5)
    return n * n


def worker(tasks, results):
    while tasks.qsize() > 0:
        n = tasks.get()
        results.put((n, square(n)))


def run(numbers, n_workers=3):
    tasks, results = multiprocessing.Queue(), multiprocessing.Queue()
    for n in numbers:
        tasks.put(n)
    workers = [multiprocessing.Process(target=worker, args=(tasks, results), daemon=True) for _ in range(n_workers)]
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
