"""Joins both processes with timeout=2, so main gives up waiting and prints Done! too early."""
# expect-fail: join, order

import multiprocessing
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
    p1 = multiprocessing.Process(target=print_numbers)
    p2 = multiprocessing.Process(target=print_letters)
    p1.start()
    p2.start()
    p1.join(timeout=2)
    p2.join(timeout=2)
    print("Done!")


if __name__ == "__main__":
    main()
