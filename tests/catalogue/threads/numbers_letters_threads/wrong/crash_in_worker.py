"""print_letters raises a ValueError after the second letter, killing the letters thread."""
# expect-fail: runs, output

import threading
import time


def print_numbers():
    for i in range(1, 6):
        time.sleep(1)
        print(f"Number: {i}")


def print_letters():
    for count, letter in enumerate("abcde"):
        time.sleep(1.5)
        print(f"Letter: {letter}")
        if count == 1:
            raise ValueError("only two letters are supported")


def main():
    t1 = threading.Thread(target=print_numbers)
    t2 = threading.Thread(target=print_letters)
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    print("Done!")


if __name__ == "__main__":
    main()
