"""Future.result(timeout=...) gives up with TimeoutError; the call goes on and can be waited for again."""

import time
from concurrent.futures import ThreadPoolExecutor, TimeoutError


def slow():
    time.sleep(1.0)
    return "slow result"


def main():
    with ThreadPoolExecutor() as executor:
        fut = executor.submit(slow)
        try:
            fut.result(timeout=0.4)
        except TimeoutError:
            print("not ready after 0.4 s, running:", fut.running())
        print("cancel:", fut.cancel())
        print(fut.result())
        print("done:", fut.done())
