"""Two conditions over one lock; recv() waits once (`if`) on `readable`: of two receivers woken by one value,
the second pops from an empty deque."""
# expect-fail: returns
# expect-message: raised IndexError

import threading
from collections import deque


class Closed(Exception):
    pass


class Channel:
    def __init__(self, capacity=0):
        self.capacity = capacity
        lock = threading.Lock()
        self.readable = threading.Condition(lock)
        self.taken = threading.Condition(lock)
        self.values = deque()
        self.sent = 0
        self.received = 0
        self.closed = False

    def send(self, value):
        with self.taken:
            if self.closed:
                raise Closed()
            self.values.append(value)
            self.sent += 1
            number = self.sent
            self.readable.notify_all()
            while number - self.received > self.capacity and not self.closed:
                self.taken.wait()

    def recv(self):
        with self.readable:
            if not self.values:
                if self.closed:
                    raise Closed()
                self.readable.wait()
                if not self.values and self.closed:
                    raise Closed()
            value = self.values.popleft()
            self.received += 1
            self.taken.notify_all()
            return value

    def close(self):
        with self.readable:
            self.closed = True
            self.readable.notify_all()
            self.taken.notify_all()

    def __iter__(self):
        while True:
            try:
                yield self.recv()
            except Closed:
                return
