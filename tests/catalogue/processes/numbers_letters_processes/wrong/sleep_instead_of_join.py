"""Sleeps 7.5 s, as long as the letters take, prints "Done!" and only then joins: right time, wrong cause."""
# expect-fail: order
# expect-message: main slept 7.5 s instead of waiting for process print_

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
    workers = [multiprocessing.Process(target=f) for f in (print_numbers, print_letters)]
    for p in workers:
        p.start()
    time.sleep(7.5)
    print("Done!")
    for p in workers:
        p.join()


if __name__ == "__main__":
    main()
