"""A daemon thread is dropped at exit; a non-daemon thread keeps the program alive after main returns."""

import threading
import time


def heartbeat():
    while True:
        time.sleep(0.3)
        print("beat")


def cleanup():
    time.sleep(0.8)
    print("cleanup finished")


def main():
    threading.Thread(target=heartbeat, daemon=True).start()
    threading.Thread(target=cleanup).start()
    time.sleep(0.5)
    print("main returns")
