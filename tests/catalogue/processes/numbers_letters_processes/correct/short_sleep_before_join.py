"""A short sleep in main before joining (say, to let the workers print their first lines) is not work in main."""

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
    p1 = multiprocessing.Process(target=print_numbers)
    p2 = multiprocessing.Process(target=print_letters)
    p1.start()
    p2.start()
    time.sleep(0.1)
    p1.join()
    p2.join()
    print("Done!")


if __name__ == "__main__":
    main()
