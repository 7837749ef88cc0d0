"""Elapsed times printed with datetime.now() and time.monotonic(), as a tutorial measures them."""

import threading
import time
from datetime import datetime, timedelta


def job(n):
    began = datetime.now()
    time.sleep(0.3 * n)
    print(f"job {n} took {(datetime.now() - began).total_seconds():.1f} s")


def main():
    start, mono = datetime.now(), time.monotonic()
    threads = [threading.Thread(target=job, args=(n,)) for n in (1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = datetime.now() - start
    print("elapsed", elapsed > timedelta(seconds=0.85), round(elapsed.total_seconds(), 1))
    print("monotonic", round(time.monotonic() - mono, 1))
    print("deadline passed:", datetime.now() >= start + timedelta(seconds=0.9))
