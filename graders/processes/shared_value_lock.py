"""Grader for processes/shared_value_lock: no update of the shared counter is lost (judged by replaying its reads
and writes on the logical clock, not by hoping the race strikes), the workers run at the same time, and every
one is joined."""

from coursekit import checks
from coursekit.grading import Grader


def drive(student):
    """Four processes, 25 additions each; print and return the final value."""
    value = student.count_with_processes(4, 25)
    print(f"counter: {value}")
    return value


grader = Grader(
    checks=(checks.Runs(), checks.Returns("count_with_processes()"), checks.SharedUpdates(),
            checks.ConcurrentChildren(), checks.ChildProcesses()),
    driver=drive,
)
