"""Class 2, right lines, wrong worker: the letters thread prints 'Done!' itself; main joins both threads and
prints nothing, so every line comes at its time but the final one comes from the wrong place."""
# expect-fail: output
# expect-message: 'Done!' was printed by thread print_letters; the reference prints it from main
import threading
import time


def print_numbers():
    for i in range(1, 6):
        time.sleep(1)
        print(f"Number: {i}")


def print_letters():
    for ch in "abcde":
        time.sleep(1.5)
        print(f"Letter: {ch}")
    print("Done!")


def main():
    threads = [threading.Thread(target=print_numbers), threading.Thread(target=print_letters)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
