"""Grader for threads/deadline_join: work shorter and longer than the deadline, results that look "empty",
and a caller that is never kept waiting past the deadline (nor past the end of the work)."""

import time

from coursekit import checks
from coursekit.grading import Grader

# (what, seconds of work, its return value, deadline)
CASES = (
    ("quick", 0.5, 42, 2.0),
    ("slow", 3.0, "late", 1.0),
    ("returns None", 1.0, None, 2.0),
    ("returns 0", 0.25, 0, 1.0),
    ("a little slow", 1.25, "ok", 1.0),
)


def make_work(seconds, value):
    def work():
        time.sleep(seconds)
        return value

    return work


def drive(module):
    """Run each case through run_with_deadline(); print the moment it returns, return what came back."""
    answers = {}
    for what, seconds, value, deadline in CASES:
        answers[what] = module.run_with_deadline(make_work(seconds, value), deadline)
        print(f"{what} ({seconds:g} s of work, deadline {deadline:g} s): run_with_deadline() returned")
    return answers


grader = Grader(
    checks=(
        checks.Runs(),
        checks.Returns("run_with_deadline()", advice="Tell 'finished' from 'still running' with "
                       "thread.is_alive() after the join, not from the value (func may return None or 0)."),
        checks.Deadline(advice="Wait with thread.join(timeout=deadline) (it returns as soon as the thread "
                        "ends), and return right after it."),
        checks.Workers(work="given", together=False),
        checks.Leaks("run_with_deadline()", advice="Make the thread a daemon (daemon=True): a thread that "
                     "missed its deadline must not keep the program alive."),
    ),
    driver=drive,
)
