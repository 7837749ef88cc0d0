"""Joins the numbers process, then waits out the rest with a sleep before "Done!": the order holds only by time."""
# expect-fail: order
# expect-message: instead of waiting for process print_letters

from multiprocessing import Process
from time import sleep


def print_numbers():
    for i in range(1, 6):
        sleep(1)
        print(f"Number: {i}")


def print_letters():
    for letter in "abcde":
        sleep(1.5)
        print(f"Letter: {letter}")


def main():
    numbers, letters = Process(target=print_numbers), Process(target=print_letters)
    numbers.start()
    letters.start()
    numbers.join()
    sleep(2.5)
    print("Done!")
    letters.join()


if __name__ == "__main__":
    main()
