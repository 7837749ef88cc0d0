"""A Process subclass with run(), a daemon child, and join(timeout)."""

import multiprocessing as mp
import time


class Countdown(mp.Process):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def run(self):
        for i in range(self.n, 0, -1):
            time.sleep(0.15)
            print("countdown", i)


def main():
    p = Countdown(3)
    p.start()
    p.join(timeout=0.2)
    print("still counting:", p.is_alive())
    p.join()
    print("exit code", p.exitcode)
