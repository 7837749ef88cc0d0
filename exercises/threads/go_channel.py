"""A Go-style channel on threading.Condition.

Go threads (goroutines) talk through *channels*; Python has ``queue.Queue``, which is close but not the same.
Write ``Channel(capacity=0)``, a channel with Go's semantics:

- ``send(value)``: with ``capacity`` > 0 (buffered), returns at once while fewer than ``capacity`` values wait in
  the channel, and otherwise waits for room.  With ``capacity == 0`` (unbuffered) it returns only once a
  receiver has taken *this* value: sender and receiver meet.  ``send`` on a closed channel raises ``Closed``.
- ``recv()``: returns the oldest value, waiting while there is none.  On a closed channel it still returns what
  was sent before ``close()``, and raises ``Closed`` only when nothing is left.
- ``close()``: no more sends; wakes *every* waiting thread: those in ``recv`` raise ``Closed``, and a ``send``
  still waiting for room or a receiver returns (its value stays, for ``recv`` to take; Go would panic there).
- ``for value in channel``: receives until the channel is closed and empty.
- Any number of threads may send and receive on one channel at once.  Which of several waiting receivers gets a
  value, and which of several waiting senders goes first, is up to you; each value is received once.

The lesson
    A ``threading.Condition`` is a lock plus a waiting room.  Hold it (``with self._cond:``) whenever you read or
    change the channel's state.  To wait for something ("a value is there"), loop: ``while not <it>:
    self._cond.wait()``; ``wait()`` releases the lock while asleep and takes it back before returning, and the
    loop re-checks because another thread may have got there first.  Whoever changes the state calls
    ``self._cond.notify_all()`` so that the waiters re-check: ``notify()`` wakes just one, and on ``close()``
    everyone must wake.
    Docs: https://docs.python.org/3/library/threading.html#condition-objects
          https://go.dev/tour/concurrency/2  (Go channels)  https://go.dev/ref/spec#Close

Check your work:  course check threads/go_channel   (or: pytest exercises/threads/go_channel.py)
Run it and watch:  python exercises/threads/go_channel.py
"""

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
        # TODO: with self._cond: raise Closed if closed; append the value, count it (its number is self._sent),
        #       notify_all(); then wait while (its number - self._received) > self._capacity and not closed
        raise NotImplementedError("Channel.send(): append under the condition, then wait until it fits")

    def recv(self):
        """The oldest value; wait while there is none.  Raise ``Closed`` once closed and empty."""
        # TODO: with self._cond: wait while there is no value and the channel is open; if still no value,
        #       raise Closed; otherwise popleft() it, count it in self._received, notify_all(), return it
        raise NotImplementedError("Channel.recv(): wait for a value (or close), take the oldest, notify_all")

    def close(self):
        """No more sends; wake every waiter.  Values already sent can still be received."""
        # TODO: with self._cond: mark the channel closed and wake every waiter
        raise NotImplementedError("Channel.close(): set the closed flag and notify_all()")

    def __iter__(self):
        """Receive values until the channel is closed and empty (Go's ``for v := range ch``)."""
        # TODO: loop: yield self.recv(); stop (return) when it raises Closed
        raise NotImplementedError("Channel.__iter__(): yield recv() until it raises Closed")


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
