"""Two conditions over one lock (receivers wait on `readable`, senders on `taken`); close() notifies only the
receivers, so a send waiting for room or for its receiver sleeps on after close()."""
# expect-fail: runs, returns
# expect-message: thread sender_1 waits at `self.taken.wait()`

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
            while not self.values and not self.closed:
                self.readable.wait()
            if not self.values:
                raise Closed()
            self.received += 1
            self.taken.notify_all()
            return self.values.popleft()

    def close(self):
        with self.readable:
            self.closed = True
            self.readable.notify_all()

    def __iter__(self):
        while True:
            try:
                yield self.recv()
            except Closed:
                return
