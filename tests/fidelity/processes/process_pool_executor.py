"""ProcessPoolExecutor: submit and as_completed, then map."""

import time
from concurrent.futures import ProcessPoolExecutor, as_completed


def cube(n):
    time.sleep(0.1 * n)
    return n**3


def main():
    with ProcessPoolExecutor(max_workers=3) as executor:
        futures = {executor.submit(cube, n): n for n in (3, 1, 2)}
        for fut in as_completed(futures):
            print(futures[fut], "cubed is", fut.result())
        print(list(executor.map(cube, [2, 1])))
