"""Grader for processes/shared_value_lock: no update of the shared counter is lost (judged by replaying its reads
and writes on the logical clock, not by hoping the race strikes), the additions are made by the worker
processes (shared among them, as in the reference), which run at the same time, and every one is joined.

The driver runs ``count_with_processes`` on a few scenarios (``coursekit.scenarios``; processes are slow to
start, so few): one process, workers that add nothing (``times`` 0), two that add long enough to outlast a
short join timeout, and process counts and additions drawn from a fixed seed, smallest first.  So a hard-coded
number of processes or of additions (``range(4)``, ``25``) fails a named scenario, and so does one process
doing every addition.
"""

from coursekit import checks, scenarios
from coursekit.grading import Grader
from coursekit.scenarios import Scenario, plural


def case(n_processes, times):
    return Scenario(f"{plural(n_processes, 'process', 'processes')} adding {plural(times, 'time')} each",
                    {"n_processes": n_processes, "times": times}, size=n_processes * max(times, 1))


def random_case(rng):
    return case(rng.randint(3, 6), rng.randint(2, 6))


# 2 processes adding 12 times: each runs 12 ms of pauses, longer than a join(0.01) that gives up too soon.
SCENARIOS = scenarios.draw(random_case, seed=3, count=1, fixed=(case(1, 3), case(3, 0), case(2, 12)))


def drive(student):
    """Every scenario through count_with_processes(); print and return each final value (or the exception it
    raised)."""

    def one(s):
        value = student.count_with_processes(s["n_processes"], s["times"])
        print(f"counter: {value}")
        return value

    return scenarios.run_each(SCENARIOS, one)


grader = Grader(
    checks=(checks.Runs(), checks.Output(), checks.Returns("count_with_processes()"), checks.SharedUpdates(),
            checks.ConcurrentChildren(), checks.ChildProcesses()),
    driver=drive,
)
