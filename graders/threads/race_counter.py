"""Grader for threads/race_counter: no increment is lost, and the threads really did the counting together.

The stub's ``increment`` is the plain ``counter.value += 1``: a read, an add and a write, with no blocking call
in between.  The fifo and lifo schedules never switch threads there; the explored schedules (round robin and
seeded PCT, ``limits.schedules``) may switch before any call or store in the student's code, so a missing or
misplaced lock loses updates under at least one of them on every grading, not just on an unlucky run.  The
``time.sleep(0.01)`` in ``worker`` (given, the "other work") makes the threads overlap in virtual time, which the
``workers`` check needs.
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
            "`counter.value += 1` is three steps (read, add, write): hold counter.lock around all three steps, "
            "and let every thread use that same lock.")),
        checks.Workers(),
        checks.Join(),
    ),
    driver=drive,
)
