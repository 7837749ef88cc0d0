"""Two multiprocessing.Process subclasses that override run() to call the workers."""
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


class NumbersProcess(multiprocessing.Process):
    def run(self):
        print_numbers()


class LettersProcess(multiprocessing.Process):
    def run(self):
        print_letters()


def main():
    p1 = NumbersProcess()
    p2 = LettersProcess()
    p1.start()
    p2.start()
    p1.join()
    p2.join()
    print("Done!")


if __name__ == "__main__":
    main()
