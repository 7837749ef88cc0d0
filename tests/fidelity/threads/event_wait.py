"""Event: waiters block until it is set; wait(timeout) returns False when it is not."""

import threading
import time

go = threading.Event()


def runner(name):
    print(f"{name} on the line")
    go.wait()
    time.sleep(0.1 * int(name[-1]))
    print(f"{name} finished")


def main():
    runners = [threading.Thread(target=runner, args=(f"r{i}",)) for i in range(1, 4)]
    for r in runners:
        r.start()
    print("early wait:", go.wait(timeout=0.3))
    time.sleep(0.2)
    print("go!")
    go.set()
    for r in runners:
        r.join()
    go.clear()
    print("is_set after clear:", go.is_set())
