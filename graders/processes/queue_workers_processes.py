"""Grader for processes/queue_workers_processes: the right results, every task and sentinel taken off its queue
exactly once, the workers running at the same time, and every worker joined with exit code 0.

Which worker takes which task is a real-time race, so nothing here depends on it: results are compared as a
dict, queues are checked item by item, and concurrency is read from what main started before it joined.
"""

from coursekit import checks
from coursekit.grading import Grader

NUMBERS = [3, 1, 4, 10, 5, 9, 2, 6]


def drive(student):
    """Square eight numbers with three workers; print and return the results sorted by number."""
    squares = student.run(list(NUMBERS), 3)
    for n, square in sorted(squares.items()):
        print(f"{n} squared is {square}")
    return sorted(squares.items())


grader = Grader(
    checks=(checks.Runs(), checks.Returns("run()"), checks.QueuesDrained(), checks.ConcurrentChildren(),
            checks.ChildProcesses()),
    driver=drive,
)
