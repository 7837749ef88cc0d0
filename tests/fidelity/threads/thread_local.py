"""threading.local: each thread sees its own attributes."""

import threading
import time

data = threading.local()


def handle(user, delay):
    data.user = user
    time.sleep(delay)
    print(f"request for {data.user}, has user: {hasattr(data, 'user')}")


def main():
    data.user = "main"
    threads = [threading.Thread(target=handle, args=(name, d)) for name, d in (("ann", 0.3), ("bo", 0.1))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("main still sees", data.user)
    other = threading.Thread(target=lambda: print("fresh thread has user:", hasattr(data, "user")))
    other.start()
    other.join()
