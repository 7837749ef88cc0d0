"""Executor.shutdown(cancel_futures=True): queued calls are cancelled, the running one finishes."""

import time
from concurrent.futures import ThreadPoolExecutor


def step(n):
    time.sleep(0.3)
    print("step", n, "finished")
    return n


def main():
    ex = ThreadPoolExecutor(max_workers=1)
    futures = [ex.submit(step, n) for n in range(4)]
    time.sleep(0.1)
    ex.shutdown(wait=True, cancel_futures=True)
    print([("cancelled" if f.cancelled() else f.result()) for f in futures])
