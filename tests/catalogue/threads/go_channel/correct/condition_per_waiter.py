"""One lock; receivers wait on a shared condition, and every send waits on a condition of its own, which the
receiver that takes its value (or close()) notifies."""

import threading
from collections import deque


class Closed(Exception):
    pass


class Channel:
    def __init__(self, capacity=0):
        self.capacity = capacity
        self.lock = threading.Lock()
        self.has_value = threading.Condition(self.lock)
        self.pending = deque()  # [value, its sender's condition, done?]: sent, not yet received
        self.closed = False

    def _release_senders(self):
        # every send whose value is at most `capacity` places from the front (or was taken) may return
        for k, entry in enumerate(self.pending):
            if k < self.capacity and not entry[2]:
                entry[2] = True
                entry[1].notify()

    def send(self, value):
        with self.lock:
            if self.closed:
                raise Closed("closed")
            mine = threading.Condition(self.lock)
            entry = [value, mine, len(self.pending) < self.capacity]
            self.pending.append(entry)
            self.has_value.notify()
            while not entry[2] and not self.closed:
                mine.wait()

    def recv(self):
        with self.lock:
            while not self.pending and not self.closed:
                self.has_value.wait()
            if not self.pending:
                raise Closed("closed")
            entry = self.pending.popleft()
            if not entry[2]:  # its sender still waits: its value is taken now
                entry[2] = True
                entry[1].notify()
            self._release_senders()
            return entry[0]

    def close(self):
        with self.lock:
            self.closed = True
            for _, cond, done in self.pending:
                if not done:
                    cond.notify()
            self.has_value.notify_all()

    def __iter__(self):
        while True:
            try:
                yield self.recv()
            except Closed:
                return
