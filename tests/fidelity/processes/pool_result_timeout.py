"""AsyncResult.get(timeout) and Future.result(timeout) on process pools give up at the timeout."""

import multiprocessing as mp
import time
from concurrent.futures import ProcessPoolExecutor, TimeoutError


def slow(seconds):
    time.sleep(seconds)
    return seconds


def main():
    with mp.Pool(1) as pool:
        r = pool.apply_async(slow, (1.0,))
        try:
            r.get(timeout=0.3)
        except mp.TimeoutError:
            print("pool: not ready after 0.3 s")
        print("pool:", r.get())
    with ProcessPoolExecutor(max_workers=1) as ex:
        fut = ex.submit(slow, 0.8)
        try:
            fut.result(timeout=0.4)
        except TimeoutError:
            print("executor: not ready after 0.4 s")
        print("executor:", fut.result())
