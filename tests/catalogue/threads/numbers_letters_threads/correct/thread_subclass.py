"""Two threading.Thread subclasses that override run() to call the workers."""
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


class NumbersThread(threading.Thread):
    def run(self):
        print_numbers()


class LettersThread(threading.Thread):
    def run(self):
        print_letters()


def main():
    t1 = NumbersThread()
    t2 = LettersThread()
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    print("Done!")


if __name__ == "__main__":
    main()
