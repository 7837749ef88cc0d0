"""Condition.wait(timeout) that gives up, and wait_for with a predicate notified with notify_all."""

import threading
import time

state = {"ready": False}
cond = threading.Condition()


def waiter(name, timeout):
    with cond:
        ok = cond.wait_for(lambda: state["ready"], timeout=timeout)
    print(f"{name}: ready={ok}")


def main():
    with cond:
        print("plain wait returned", cond.wait(timeout=0.2))
    threads = [threading.Thread(target=waiter, args=("patient", 2.0)),
               threading.Thread(target=waiter, args=("hasty", 0.3))]
    for t in threads:
        t.start()
    time.sleep(0.6)
    with cond:
        state["ready"] = True
        cond.notify_all()
    print("notified")
    for t in threads:
        t.join()
