"""The sched module's event scheduler, with its default clock and sleep."""

import sched
import time


def main():
    s = sched.scheduler()
    start = time.monotonic()
    for delay, name in ((0.5, "second"), (0.2, "first"), (0.8, "third")):
        s.enter(delay, 1, lambda n=name: print(n, round(time.monotonic() - start, 1)))
    cancelled = s.enter(0.6, 1, print, ("never",))
    s.cancel(cancelled)
    s.run()
    print("queue empty:", s.empty())
