"""Start a few threads, join them in order (the threading docs' first example)."""

import threading
import time


def download(name, seconds):
    print(f"{name}: starting")
    time.sleep(seconds)
    print(f"{name}: finished after {seconds} s")


def main():
    threads = [threading.Thread(target=download, args=(f"file{i}", 0.3 * (3 - i)), name=f"dl-{i}")
               for i in range(3)]
    for t in threads:
        t.start()
        time.sleep(0.05)
    print("alive:", sum(t.is_alive() for t in threads))
    for t in threads:
        t.join()
        print("joined", t.name)
    print("all done, alive:", threading.active_count())
