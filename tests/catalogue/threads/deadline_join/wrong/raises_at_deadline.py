"""Raises TimeoutError when the deadline passes instead of returning (False, None), as the contract says."""
# expect-fail: returns
# expect-message: run_with_deadline() raised TimeoutError

import threading


def run_with_deadline(func, deadline):
    box = {}

    def target():
        box["value"] = func()

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(deadline)
    if worker.is_alive():
        raise TimeoutError(f"no answer within {deadline} s")
    return True, box["value"]


def main():
    import time

    def slow_answer():
        time.sleep(2)
        return 42

    print(run_with_deadline(slow_answer, 3))
