"""recv() tests once (`if`) whether a value is there: a receiver woken by notify_all() after another took the value goes on and raises Closed on an open channel."""
# expect-fail: returns
# expect-message: although the channel was still open


import threading
import time
from collections import deque


class Closed(Exception):
    """Raised by ``send`` on a closed channel, and by ``recv`` on a closed channel that has nothing left."""


class Channel:
    """A channel of values between threads, like Go's ``make(chan T, capacity)``."""

    def __init__(self, capacity=0):
        self._capacity = capacity  # 0: unbuffered, every send waits for its receiver
        self._cond = threading.Condition()  # guards everything below; waiters wait on it
        self._values = deque()  # sent and not yet received, oldest first
        self._sent = 0  # how many values were ever sent
        self._received = 0  # how many values were ever received
        self._closed = False

    def send(self, value):
        """Hand ``value`` to the channel; wait while the buffer is full (unbuffered: until a receiver took it)."""
        with self._cond:
            if self._closed:
                raise Closed("send on a closed channel")
            self._values.append(value)
            self._sent += 1
            my_number = self._sent
            self._cond.notify_all()
            # done once at most `capacity` values sent before and including mine are still waiting
            while my_number - self._received > self._capacity and not self._closed:
                self._cond.wait()

    def recv(self):
        """The oldest value; wait while there is none.  Raise ``Closed`` once closed and empty."""
        with self._cond:
            if not self._values and not self._closed:
                self._cond.wait()
            if not self._values:
                raise Closed("recv on a closed channel")
            value = self._values.popleft()
            self._received += 1
            self._cond.notify_all()
            return value

    def close(self):
        """No more sends; wake every waiter.  Values already sent can still be received."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def __iter__(self):
        """Receive values until the channel is closed and empty (Go's ``for v := range ch``)."""
        while True:
            try:
                yield self.recv()
            except Closed:
                return


def demo():
    """A producer sends 1, 2, 3 (one per 0.5 s) and closes; the main thread prints what it receives."""
    ch = Channel()

    def producer():
        for value in (1, 2, 3):
            time.sleep(0.5)
            ch.send(value)
        ch.close()

    threading.Thread(target=producer).start()
    for value in ch:
        print("received", value)
    print("channel closed")


if __name__ == "__main__":
    demo()
