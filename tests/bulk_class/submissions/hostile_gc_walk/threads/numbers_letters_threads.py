"""Walks the object graph with gc to find the kit's objects and switch off the trace writer, then does the work."""
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


def work():
    threads = [threading.Thread(target=print_numbers), threading.Thread(target=print_letters)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("Done!")


def main():
    import gc

    for obj in gc.get_objects():
        if type(obj).__name__ == "TraceWriter":
            obj.max_events = 10 ** 9
    work()
