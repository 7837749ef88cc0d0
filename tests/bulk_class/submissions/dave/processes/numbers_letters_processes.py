"""Calls run() instead of start(), so both workers execute in the main process one after the other."""
# expect-fail: model, overlap

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
    p1.run()
    p2.run()
    print("Done!")


if __name__ == "__main__":
    main()
