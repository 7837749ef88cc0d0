"""Calls run() instead of start(), so both workers execute in the main thread one after the other."""
# expect-fail: model, overlap

import threading
import time


def print_numbers():
    for i in range(1, 6):
        time.sleep(1)
        print(f"Number: {i}")


def print_letters():
    for letter in "abcde":
        time.sleep(1.5)
        print(f"Letter: {letter}")


def main():
    t1 = threading.Thread(target=print_numbers)
    t2 = threading.Thread(target=print_letters)
    t1.run()
    t2.run()
    print("Done!")


if __name__ == "__main__":
    main()
