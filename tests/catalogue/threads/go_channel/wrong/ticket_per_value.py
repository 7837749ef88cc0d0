"""Each value travels with its own Event: an unbuffered send waits for that value's Event, a buffered one only
when the buffer is full.  Wrong: close() never sets the Events, so an unbuffered send still waiting for a receiver
when the channel is closed waits forever (the contract says it returns)."""
# expect-fail: runs, returns
# expect-message: thread sender_1 waits at `taken.wait()`
# expect-message: unbuffered, 1 sender sending [7] from 0 s, no receiver, close() at 0.6 s

import threading
from collections import deque


class Closed(Exception):
    pass


class Channel:
    def __init__(self, capacity=0):
        self.capacity = capacity
        self.cond = threading.Condition(threading.RLock())
        self.items = deque()  # (value, taken event)
        self.closed = False

    def send(self, value):
        taken = threading.Event()
        with self.cond:
            if self.closed:
                raise Closed()
            while self.capacity and len(self.items) >= self.capacity and not self.closed:
                self.cond.wait()
            self.items.append((value, taken))
            self.cond.notify_all()
        if self.capacity == 0:
            taken.wait()

    def recv(self):
        with self.cond:
            while True:
                if self.items:
                    value, taken = self.items.popleft()
                    taken.set()
                    self.cond.notify_all()
                    return value
                if self.closed:
                    raise Closed()
                self.cond.wait()

    def close(self):
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def __iter__(self):
        while True:
            try:
                value = self.recv()
            except Closed:
                break
            yield value
