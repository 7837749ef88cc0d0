"""Semaphores instead of a condition: `items` counts the values waiting, `room` the free places of a buffered
channel; an unbuffered send waits on an Event of its own.  close() releases every waiter once more, and a woken
waiter passes the release on."""

import threading
from collections import deque

ENOUGH = 1000  # more releases than there can be waiters


class Closed(Exception):
    pass


class Channel:
    def __init__(self, capacity=0):
        self.capacity = capacity
        self.mutex = threading.Lock()
        self.items = threading.Semaphore(0)
        self.room = threading.Semaphore(capacity)
        self.values = deque()  # (value, taken event)
        self.closed = False

    def send(self, value):
        taken = threading.Event()
        if self.capacity:
            with self.mutex:
                if self.closed:
                    raise Closed()
            self.room.acquire()  # close() releases it for every sender still waiting here
        with self.mutex:
            if self.closed and self.capacity == 0:
                raise Closed()
            self.values.append((value, taken))  # a buffered send woken by close() still leaves its value
        self.items.release()
        if self.capacity == 0:
            taken.wait()  # set by the receiver, or by close()

    def recv(self):
        self.items.acquire()
        with self.mutex:
            if not self.values:  # close() woke us and nothing is left
                self.items.release()  # pass the wake-up on to the next receiver
                raise Closed()
            value, taken = self.values.popleft()
        taken.set()
        if self.capacity:
            self.room.release()
        return value

    def close(self):
        with self.mutex:
            if self.closed:
                return
            self.closed = True
            pending = list(self.values)
        for _, taken in pending:
            taken.set()
        self.items.release()  # one extra item: each receiver that finds nothing passes it on
        if self.capacity:
            self.room.release(ENOUGH)

    def __iter__(self):
        while True:
            try:
                yield self.recv()
            except Closed:
                return
