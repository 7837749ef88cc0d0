"""A two-worker multiprocessing.Pool running both workers with apply_async and waiting with get() inside the with-block."""
# expect: pass

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
    with multiprocessing.Pool(2) as pool:
        r1 = pool.apply_async(print_numbers)
        r2 = pool.apply_async(print_letters)
        r1.get()
        r2.get()
    print("Done!")


if __name__ == "__main__":
    main()
