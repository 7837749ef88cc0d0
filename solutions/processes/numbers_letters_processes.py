"""Numbers and letters, with processes (reference solution)."""

import multiprocessing
import time


def print_numbers():
    """Print ``Number: 1`` ... ``Number: 5``, sleeping 1 s before each line."""
    for i in range(1, 6):
        time.sleep(1)
        print(f"Number: {i}")


def print_letters():
    """Print ``Letter: a`` ... ``Letter: e``, sleeping 1.5 s before each line."""
    for letter in "abcde":
        time.sleep(1.5)
        print(f"Letter: {letter}")


def main():
    """Run both functions in two child processes at the same time, wait for both, then print ``Done!``."""
    process1 = multiprocessing.Process(target=print_numbers)
    process2 = multiprocessing.Process(target=print_letters)
    process1.start()
    process2.start()
    process1.join()
    process2.join()
    print("Done!")


if __name__ == "__main__":
    main()
