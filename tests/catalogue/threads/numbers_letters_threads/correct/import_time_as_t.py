"""Plain threads with the time module imported under the alias t."""
# expect: pass

import threading
import time as t


def print_numbers():
    for i in range(1, 6):
        t.sleep(1)
        print(f"Number: {i}")


def print_letters():
    for letter in "abcde":
        t.sleep(1.5)
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
