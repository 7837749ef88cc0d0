"""Leaves a debugging os._exit(0) at the top of main(), so the program quits before doing anything."""
# expect-fail: runs

import multiprocessing
import os
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
    os._exit(0)
    p1 = multiprocessing.Process(target=print_numbers)
    p2 = multiprocessing.Process(target=print_letters)
    p1.start()
    p2.start()
    p1.join()
    p2.join()
    print("Done!")


if __name__ == "__main__":
    main()
