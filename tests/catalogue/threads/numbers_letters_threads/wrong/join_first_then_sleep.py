"""Joins the numbers thread, then sleeps the 2.5 s the letters still need: right time, wrong cause."""
# expect-fail: order
# expect-message: slept 2.5 s instead of waiting for thread print_letters

from threading import Thread
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
    numbers = Thread(target=print_numbers)
    letters = Thread(target=print_letters)
    numbers.start()
    letters.start()
    numbers.join()
    sleep(2.5)  # "the letters take 7.5 s in all"
    print("Done!")
    letters.join()


if __name__ == "__main__":
    main()
