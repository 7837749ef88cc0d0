"""Plain threads with the workers writing their lines through sys.stdout.write."""
# expect: pass

import sys
import threading
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
    t1 = threading.Thread(target=print_numbers)
    t2 = threading.Thread(target=print_letters)
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    sys.stdout.write("Done!\n")


if __name__ == "__main__":
    main()
