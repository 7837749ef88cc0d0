"""wait_for() with predicates, but every change wakes three waiters (notify(3)), as many as the demo's receivers:
with four receivers waiting, close() leaves one asleep."""
# expect-fail: runs, returns
# expect-message: deadlock

import threading
from collections import deque


class Closed(Exception):
    pass


class Channel:
    def __init__(self, capacity=0):
        self._capacity = capacity
        self._cond = threading.Condition()
        self._values = deque()
        self._sent = self._received = 0
        self._closed = False

    def send(self, value):
        with self._cond:
            if self._closed:
                raise Closed("send on a closed channel")
            self._values.append(value)
            self._sent += 1
            mine = self._sent
            self._cond.notify(3)
            self._cond.wait_for(lambda: mine - self._received <= self._capacity or self._closed)

    def recv(self):
        with self._cond:
            self._cond.wait_for(lambda: self._values or self._closed)
            if not self._values:
                raise Closed("recv on a closed channel")
            self._received += 1
            self._cond.notify(3)
            return self._values.popleft()

    def close(self):
        with self._cond:
            self._closed = True
            self._cond.notify(3)

    def __iter__(self):
        while True:
            try:
                yield self.recv()
            except Closed:
                return
