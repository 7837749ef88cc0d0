"""Both threads are daemons, but a timer thread per call sleeps out the deadline and is still running on return."""
# expect-fail: leaks
# expect-message: they are daemons already

import threading
import time


def run_with_deadline(func, deadline):
    box = {}
    expired = threading.Event()
    finished = threading.Event()

    def target():
        box["value"] = func()
        finished.set()

    def timer():
        time.sleep(deadline)
        expired.set()

    threading.Thread(target=target, daemon=True).start()
    threading.Thread(target=timer, daemon=True).start()
    if finished.wait(deadline):
        return True, box["value"]
    return False, None


def main():
    def slow_answer():
        time.sleep(2)
        return 42

    print(run_with_deadline(slow_answer, 3))
