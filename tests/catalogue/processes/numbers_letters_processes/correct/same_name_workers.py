"""Both workers are given the same name=: they are still two processes (identity is not the name)."""

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
    workers = [multiprocessing.Process(target=f, name="worker") for f in (print_numbers, print_letters)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    print("Done!")


if __name__ == "__main__":
    main()
