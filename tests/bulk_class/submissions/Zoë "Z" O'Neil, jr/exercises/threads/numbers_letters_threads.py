"""A ThreadPoolExecutor with two workers whose with-block waits for both submitted jobs."""
# expect: pass

import time
from concurrent.futures import ThreadPoolExecutor


def print_numbers():
    for i in range(1, 6):
        time.sleep(1)
        print(f"Number: {i}")


def print_letters():
    for letter in "abcde":
        time.sleep(1.5)
        print(f"Letter: {letter}")


def main():
    with ThreadPoolExecutor(max_workers=2) as ex:
        ex.submit(print_numbers)
        ex.submit(print_letters)
    print("Done!")


if __name__ == "__main__":
    main()
