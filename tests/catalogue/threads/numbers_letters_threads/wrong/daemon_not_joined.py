"""Makes both threads daemons and does not join them, so the program exits and kills them after Done!."""
# expect-fail: join, output

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


def main():
    t1 = threading.Thread(target=print_numbers, daemon=True)
    t2 = threading.Thread(target=print_letters, daemon=True)
    t1.start()
    t2.start()
    print("Done!")


if __name__ == "__main__":
    main()
