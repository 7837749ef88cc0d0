"""Makes both processes daemons and does not join them, so they are killed when main exits after Done!."""
# expect-fail: join, output

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
    p1 = multiprocessing.Process(target=print_numbers, daemon=True)
    p2 = multiprocessing.Process(target=print_letters, daemon=True)
    p1.start()
    p2.start()
    print("Done!")


if __name__ == "__main__":
    main()
