"""Grader for threads/race_counter: no increment is lost, and the threads really did the counting together.

The stub's ``increment`` yields (``time.sleep(0)``) between its read and its write; the virtual scheduler hands
over to the next thread right there, so a missing or misplaced lock loses updates on every run, not just on an
unlucky one.
"""

from coursekit import checks
from coursekit.grading import Grader

CASES = ((4, 25), (2, 10))


def drive(module):
    """Count with 4 threads x 25 increments, then 2 x 10; return each count and what its Counter really holds.

    The Counter class is wrapped so that the driver sees every counter count_in_threads() makes: returning
    ``n_threads * times`` while the shared counter says otherwise does not pass.
    """
    made = []

    class Recorded(module.Counter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    Recorded.__name__ = Recorded.__qualname__ = module.Counter.__name__
    module.Counter = Recorded
    counts = {}
    for n_threads, times in CASES:
        made.clear()
        value = module.count_in_threads(n_threads, times)
        print(f"count_in_threads({n_threads}, {times}) returned {value!r}")
        counts[f"count_in_threads({n_threads}, {times})"] = value
        counts[f"counter.value after count_in_threads({n_threads}, {times})"] = [c.value for c in made]
    return counts


grader = Grader(
    checks=(
        checks.Runs(),
        checks.Returns("count_in_threads()", advice=(
            "Increments were lost: two threads read the same value and both wrote back that value plus one. "
            "Hold counter.lock around all three steps of increment() (read, yield, write), and let every "
            "thread use that same lock.")),
        checks.Workers(),
        checks.Join(),
    ),
    driver=drive,
)
