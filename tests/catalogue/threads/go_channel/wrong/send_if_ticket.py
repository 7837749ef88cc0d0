"""Each value has a ticket; an unbuffered send waits once (`if`) for its ticket, so any notify_all() (another
send's, a receive of someone else's value) lets it return before its own value was taken."""
# expect-fail: returns
# expect-message: before a receiver took its value

import threading
from collections import deque


class Closed(Exception):
    pass


class Channel:
    def __init__(self, capacity=0):
        self.capacity = capacity
        self.cond = threading.Condition()
        self.queue = deque()  # [value, taken]
        self.closed = False

    def send(self, value):
        with self.cond:
            if self.closed:
                raise Closed()
            while self.capacity and len(self.queue) >= self.capacity and not self.closed:
                self.cond.wait()
            ticket = [value, False]
            self.queue.append(ticket)
            self.cond.notify_all()
            if self.capacity == 0 and not ticket[1] and not self.closed:
                self.cond.wait()

    def recv(self):
        with self.cond:
            while not self.queue and not self.closed:
                self.cond.wait()
            if not self.queue:
                raise Closed()
            ticket = self.queue.popleft()
            ticket[1] = True
            self.cond.notify_all()
            return ticket[0]

    def close(self):
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def __iter__(self):
        while True:
            try:
                yield self.recv()
            except Closed:
                return
