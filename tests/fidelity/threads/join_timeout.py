"""join(timeout) returns when the time is up even if the thread is still running."""

import threading
import time


def long_task():
    time.sleep(1.0)
    print("long task done")


def main():
    t = threading.Thread(target=long_task)
    t.start()
    t.join(timeout=0.3)
    print("after join(0.3): alive =", t.is_alive())
    t.join(timeout=0.3)
    print("after another 0.3: alive =", t.is_alive())
    t.join()
    print("after join(): alive =", t.is_alive())
