"""Each value has a ticket; a send still waiting when close() comes raises RuntimeError instead of returning
(the contract: it returns, and its value stays for recv() to take)."""
# expect-fail: returns
# expect-message: send() raised RuntimeError

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
            while self.capacity == 0 and not ticket[1] and not self.closed:
                self.cond.wait()
            if self.capacity == 0 and not ticket[1]:
                raise RuntimeError("channel closed before the value was received")

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
