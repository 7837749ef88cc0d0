"""Sleeps as long as the work takes instead of joining: "Done!" comes at the right time, by luck, not by cause."""
# expect-fail: order
# expect-message: main slept 7.5 s instead of waiting for thread

import threading
import time


def print_numbers():
    for i in range(1, 6):
        time.sleep(1)
        print(f"Number: {i}")


def print_letters():
    for c in "abcde":
        time.sleep(1.5)
        print(f"Letter: {c}")


def main():
    workers = [threading.Thread(target=print_numbers), threading.Thread(target=print_letters)]
    for t in workers:
        t.start()
    time.sleep(7.5)
    print("Done!")


if __name__ == "__main__":
    main()
