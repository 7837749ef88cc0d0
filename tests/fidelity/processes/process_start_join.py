"""multiprocessing.Process: start children, join them, read their exit codes."""

import multiprocessing as mp
import os
import time


def child(name, seconds):
    time.sleep(seconds)
    print(f"{name} done, own pid: {os.getpid() != os.getppid()}")


def main():
    procs = [mp.Process(target=child, args=(f"child{i}", 0.2 * (3 - i))) for i in range(3)]
    for p in procs:
        p.start()
    print("started", len(procs))
    for p in procs:
        p.join()
        print(p.name.startswith("Process-"), "exit code", p.exitcode)
    print("alive:", [p.is_alive() for p in procs])
