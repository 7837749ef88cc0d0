"""Class 2 (the guard as a switch): turns the guard's re-entrancy flag on, runs code made by exec() as a thread
target (only the kit and the standard library below it), and compiles code under a file name that merely starts
with the kit's path; each one tries to write a fake trace file where the grader reads.  Then does the work."""
import json
import os
import sys
import threading
import time

SETTINGS = json.loads(os.environ.get("COURSEKIT_GUARD", "{}"))
TRACE = SETTINGS.get("trace", "/nonexistent")
FORGE = "open(TRACE + '/{n}.jsonl', 'w').write('{{\"e\": \"line\"}}')"


def print_numbers():
    for i in range(1, 6):
        time.sleep(1)
        print(f"Number: {i}")


def print_letters():
    for letter in "abcde":
        time.sleep(1.5)
        print(f"Letter: {letter}")


def attempt(fn):
    try:
        fn()
    except (OSError, AttributeError, KeyError):
        pass


def switch_it_off():
    guard = getattr(sys.modules.get("coursekit._engine.guard"), "_guard", None)

    class Busy:
        busy = True

    if guard is not None:
        guard.local = Busy()
    attempt(lambda: exec(FORGE.format(n=91), {"TRACE": TRACE}))
    t = threading.Thread(target=exec, args=(FORGE.format(n=92), {"TRACE": TRACE}))
    t.start()
    t.join()
    fake = SETTINGS.get("kit", "/coursekit") + "_helpers/util.py"
    code = compile(FORGE.format(n=93), fake, "exec")
    t = threading.Thread(target=exec, args=(code, {"TRACE": TRACE}))
    t.start()
    t.join()


def main():
    switch_it_off()
    threads = [threading.Thread(target=print_numbers), threading.Thread(target=print_letters)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("Done!")
