"""Numbers and letters, with threads (reference solution)."""

import threading
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
    """Run both functions in two threads at the same time, wait for both, then print ``Done!``."""
    thread1 = threading.Thread(target=print_numbers)
    thread2 = threading.Thread(target=print_letters)
    thread1.start()
    thread2.start()
    thread1.join()
    thread2.join()
    print("Done!")


if __name__ == "__main__":
    main()
