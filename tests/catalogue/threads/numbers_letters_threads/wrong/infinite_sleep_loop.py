"""Counts the numbers in a while True loop with no stop condition, so the numbers thread never ends."""
# expect-fail: runs

import threading
import time


def print_numbers():
    i = 0
    while True:
        time.sleep(1)
        i += 1
        print(f"Number: {i}")


def print_letters():
    for letter in "abcde":
        time.sleep(1.5)
        print(f"Letter: {letter}")


def main():
    t1 = threading.Thread(target=print_numbers)
    t2 = threading.Thread(target=print_letters)
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    print("Done!")


if __name__ == "__main__":
    main()
