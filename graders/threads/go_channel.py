"""Grader for threads/go_channel: the driver runs threads that talk through the student's Channel and prints
what happens, when.  The virtual clock makes "when" exact: an unbuffered send that does not wait for its
receiver returns at 0 s instead of 1 s, a close() that wakes only one receiver leaves the others waiting
(a deadlock), and the order of the values shows in the lines."""

import threading
import time

from coursekit import checks
from coursekit.grading import Grader


def _run(*targets):
    for t in targets:
        t.__qualname__ = t.__name__  # short labels in the timeline: "thread sender", not "...<locals>.sender"
    threads = [threading.Thread(target=t) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def unbuffered(module):
    """A send on an unbuffered channel returns only when a receiver (here: one per second) took its value."""
    ch = module.Channel()

    def sender():
        time.sleep(0.25)
        for value in (1, 2, 3):
            ch.send(value)
            print(f"unbuffered: send({value}) returned")

    def receiver():
        for _ in range(3):
            time.sleep(1)
            print(f"unbuffered: recv() gave {ch.recv()!r}")

    _run(sender, receiver)


def buffered(module):
    """A buffered channel (capacity 2) takes two values at once; the third send waits for room."""
    ch = module.Channel(2)

    def sender():
        time.sleep(0.25)
        for value in "abcd":
            ch.send(value)
            print(f"capacity 2: send({value!r}) returned")

    def receiver():
        for _ in range(4):
            time.sleep(1)
            print(f"capacity 2: recv() gave {ch.recv()!r}")

    _run(sender, receiver)


def close_wakes_everyone(module):
    """Three receivers wait on an empty channel; close() must wake all three."""
    ch = module.Channel()

    def receiver(n):
        def wait_for_value():
            try:
                print(f"receiver {n}: recv() gave {ch.recv()!r}")
            except module.Closed:
                print(f"receiver {n}: recv() raised Closed")
        wait_for_value.__name__ = f"receiver_{n}"
        return wait_for_value

    def closer():
        time.sleep(1)
        ch.close()
        print("close() returned")

    _run(receiver(1), receiver(2), receiver(3), closer)


def range_until_closed(module):
    """A for-loop over the channel gets every value, in order, then ends when the producer closes it."""
    ch = module.Channel()

    def producer():
        for value in (10, 20, 30):
            time.sleep(0.5)
            ch.send(value)
        ch.close()

    def consumer():
        for value in ch:
            print(f"for-loop: got {value!r}")
        print("for-loop: ended")

    _run(producer, consumer)


def after_close(module):
    """Values sent before close() can still be received; then recv() and send() raise Closed."""
    ch = module.Channel(3)
    for value in "xyz":
        ch.send(value)
    ch.close()
    print(f"after close: received {list(ch)!r}")
    try:
        ch.recv()
        print("after close: recv() on an empty, closed channel returned")
    except module.Closed:
        print("after close: recv() on an empty, closed channel raised Closed")
    try:
        ch.send("late")
        print("after close: send() returned")
    except module.Closed:
        print("after close: send() raised Closed")


def drive(module):
    # First a call that cannot block: an unwritten stub stops here, with one "not written yet" message instead
    # of one per thread of every scenario.
    module.Channel(1).close()
    for scenario in (unbuffered, buffered, close_wakes_everyone, range_until_closed, after_close):
        scenario(module)


grader = Grader(
    checks=(checks.Runs(), checks.Output(), checks.Timing(), checks.Order()),
    driver=drive,
)
