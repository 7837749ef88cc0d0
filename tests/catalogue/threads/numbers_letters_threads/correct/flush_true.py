"""Plain threads with every print call using flush=True."""
# expect: pass

import threading
import time


def print_numbers():
    for i in range(1, 6):
        time.sleep(1)
        print(f"Number: {i}", flush=True)


def print_letters():
    for letter in "abcde":
        time.sleep(1.5)
        print(f"Letter: {letter}", flush=True)


def main():
    t1 = threading.Thread(target=print_numbers)
    t2 = threading.Thread(target=print_letters)
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    print("Done!", flush=True)


if __name__ == "__main__":
    main()
