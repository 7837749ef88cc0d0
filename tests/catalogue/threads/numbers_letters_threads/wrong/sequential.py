"""Calls print_numbers() and then print_letters() directly, one after the other, without any threads."""
# expect-fail: overlap, timing

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
    print_numbers()
    print_letters()
    print("Done!")


if __name__ == "__main__":
    main()
