"""Guards printing with two locks that the two threads take in opposite order, so each waits forever for the other."""
# expect-fail: runs

import threading
import time


numbers_lock = threading.Lock()
letters_lock = threading.Lock()


def print_numbers():
    with numbers_lock:
        for i in range(1, 6):
            time.sleep(1)
            with letters_lock:
                print(f"Number: {i}")


def print_letters():
    with letters_lock:
        for letter in "abcde":
            time.sleep(1.5)
            with numbers_lock:
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
