"""Each value travels with its own ticket: a send waits, on the channel's condition, until a receiver marked its
ticket taken (unbuffered) or there is room (buffered), or the channel is closed."""

import threading
from collections import deque


class Closed(Exception):
    pass


class Ticket:
    def __init__(self, value):
        self.value = value
        self.taken = False


class Channel:
    def __init__(self, capacity=0):
        self.capacity = capacity
        self.cond = threading.Condition()
        self.tickets = deque()
        self.closed = False

    def send(self, value):
        ticket = Ticket(value)
        with self.cond:
            if self.closed:
                raise Closed()
            while self.capacity and len(self.tickets) >= self.capacity and not self.closed:
                self.cond.wait()
            self.tickets.append(ticket)
            self.cond.notify_all()
            while self.capacity == 0 and not ticket.taken and not self.closed:
                self.cond.wait()

    def recv(self):
        with self.cond:
            while not self.tickets:
                if self.closed:
                    raise Closed()
                self.cond.wait()
            ticket = self.tickets.popleft()
            ticket.taken = True
            self.cond.notify_all()
            return ticket.value

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
