"""Calls main() at module level behind a check that only skips the multiprocessing re-import, so importing the module runs the program."""
# expect-fail: runs

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
    p1.join()
    p2.join()
    print("Done!")


# Skipping "__mp_main__" stops spawned children from re-running main(), but any
# other import (e.g. "import numbers_letters_processes") still runs it.
if __name__ != "__mp_main__":
    main()
