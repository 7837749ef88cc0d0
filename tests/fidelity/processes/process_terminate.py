"""Process.terminate(): a child that would run for long is stopped; its exit code is -SIGTERM."""

import multiprocessing as mp
import time


def forever():
    while True:
        time.sleep(0.2)
        print("still here")


def main():
    p = mp.Process(target=forever)
    p.start()
    time.sleep(0.5)
    p.terminate()
    p.join()
    print("exit code", p.exitcode)
