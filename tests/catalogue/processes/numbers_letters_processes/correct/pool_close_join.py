"""A two-worker multiprocessing.Pool running both workers with apply_async, then close() and join()."""
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
    pool = multiprocessing.Pool(2)
    pool.apply_async(print_numbers)
    pool.apply_async(print_letters)
    pool.close()
    pool.join()
    print("Done!")


if __name__ == "__main__":
    main()
