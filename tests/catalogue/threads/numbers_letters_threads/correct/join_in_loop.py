"""Threads kept in a list, started in one loop and joined in another."""
# expect: pass

import threading
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
    threads = [
        threading.Thread(target=print_numbers),
        threading.Thread(target=print_letters),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("Done!")


if __name__ == "__main__":
    main()
