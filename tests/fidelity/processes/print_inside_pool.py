"""Lines printed inside pool calls come when each call runs."""

import time
from concurrent.futures import ProcessPoolExecutor


def task(n):
    time.sleep(0.2 * n)
    print("task", n, "done")
    return n


def main():
    with ProcessPoolExecutor(max_workers=2) as ex:
        print(list(ex.map(task, [1, 2, 3, 1])))
