"""Plain processes with the workers writing their lines through sys.stdout.write."""
# expect: pass

import multiprocessing
import sys
import time


def print_numbers():
    for i in range(1, 6):
        time.sleep(1)
        sys.stdout.write(f"Number: {i}\n")


def print_letters():
    for letter in "abcde":
        time.sleep(1.5)
        sys.stdout.write(f"Letter: {letter}\n")


def main():
    p1 = multiprocessing.Process(target=print_numbers)
    p2 = multiprocessing.Process(target=print_letters)
    p1.start()
    p2.start()
    p1.join()
    p2.join()
    sys.stdout.write("Done!\n")


if __name__ == "__main__":
    main()
