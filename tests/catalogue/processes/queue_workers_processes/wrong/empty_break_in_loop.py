"""Workers started first, then the tasks put; each worker stops once `tasks.empty()` says so, then takes a task:
between the test and the get() another worker can take the last one, and this one waits forever."""
# expect-fail: runs
# expect-message: paused just before

import multiprocessing
import time

SENTINEL = None


def square(n):
    time.sleep(0.5)
    return n * n


def worker(tasks, results):
    time.sleep(0.1)  # let main put every task first
    while True:
        if tasks.empty():
            break
        n = tasks.get()
        results.put((n, square(n)))


def run(numbers, n_workers=3):
    tasks = multiprocessing.Queue()
    results = multiprocessing.Queue()
    workers = []
    for _ in range(n_workers):
        process = multiprocessing.Process(target=worker, args=(tasks, results))
        process.start()
        workers.append(process)
    for n in numbers:
        tasks.put(n)
    squares = {}
    while len(squares) < len(set(numbers)):
        n, square_ = results.get()
        squares[n] = square_
    for process in workers:
        process.join()
    return squares


def main():
    print(run([3, 1, 4, 1.5, 9, 2, 6], n_workers=3))


if __name__ == "__main__":
    main()
