"""logging from several threads to stdout, with the thread name and the milliseconds since start."""

import logging
import sys
import threading
import time

log = logging.getLogger("demo")


def worker(seconds):
    time.sleep(seconds)
    log.info("slept %s s", seconds)


def main():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(threadName)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    start = time.time()
    threads = [threading.Thread(target=worker, args=(s,), name=f"worker-{i}") for i, s in enumerate((0.3, 0.1))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log.warning("both done after %.1f s", time.time() - start)
