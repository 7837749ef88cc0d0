"""Uses a single extra thread that prints all the numbers and letters itself at the right moments."""
# expect-fail: overlap

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


SCHEDULE = [
    (1.0, "Number: 1"),
    (1.5, "Letter: a"),
    (2.0, "Number: 2"),
    (3.0, "Letter: b"),
    (3.0, "Number: 3"),
    (4.0, "Number: 4"),
    (4.5, "Letter: c"),
    (5.0, "Number: 5"),
    (6.0, "Letter: d"),
    (7.5, "Letter: e"),
]


def print_everything():
    elapsed = 0.0
    for at, line in SCHEDULE:
        time.sleep(at - elapsed)
        elapsed = at
        print(line)


def main():
    worker = threading.Thread(target=print_everything)
    worker.start()
    worker.join()
    print("Done!")


if __name__ == "__main__":
    main()
