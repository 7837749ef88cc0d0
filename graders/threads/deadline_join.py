"""Grader for threads/deadline_join: work shorter and longer than the deadline, results that look "empty",
and a caller that is never kept waiting past the deadline (nor past the end of the work).

The driver runs ``run_with_deadline`` on scenarios (``coursekit.scenarios``), smallest first, each labelled as
a message reads it: "With a function that returns 0 after 0.25 s and a deadline of 1 s, ...".  After each call
it prints the moment the call returned, which ``Deadline`` compares with the reference's.
"""

import time

from coursekit import checks, scenarios
from coursekit.grading import Grader
from coursekit.scenarios import Scenario


def case(seconds, value, deadline, size=None):
    """A function that works ``seconds`` and returns ``value``, given ``deadline`` seconds."""
    return Scenario(f"a function that returns {value!r} after {seconds:g} s and a deadline of {deadline:g} s",
                    {"seconds": seconds, "value": value, "deadline": deadline},
                    size=seconds + deadline if size is None else size)


SCENARIOS = scenarios.draw(lambda rng: case(rng.choice((0.5, 1, 2)), rng.choice((7, "")), rng.choice((1, 1.5))),
                           seed=5, count=0, fixed=(
    case(0.5, 42, 2.0),
    case(3.0, "late", 1.0),
    case(1.0, None, 2.0),
    case(0.25, 0, 1.0),
    case(0.5, "", 1.0),
    case(2.0, None, 1.0),
    case(3.0, "done", 4.0),  # its 3 s outlast the threads that missed their deadline before it
    case(1.25, "ok", 1.0, size=99),  # last on purpose: its thread still runs when the driver ends, so a thread
))                                   # that is not a daemon keeps the program alive (Leaks)


def make_work(seconds, value):
    def work():
        time.sleep(seconds)
        return value

    return work


def call(module, scenario):
    """One call of run_with_deadline(); print the moment it returned, give back what it returned."""
    got = module.run_with_deadline(make_work(scenario["seconds"], scenario["value"]), scenario["deadline"])
    print(f"with {scenario.label}: run_with_deadline() returned")
    return got


def drive(module):
    """Every scenario through run_with_deadline(); return each one's result (or the exception it raised)."""
    return scenarios.run_each(SCENARIOS, lambda s: call(module, s))


grader = Grader(
    checks=(
        checks.Runs(),
        checks.Returns("run_with_deadline()", advice="Tell 'finished' from 'still running' with "
                       "thread.is_alive() after the join, not from the value (func may return None or 0).",
                       advice_if=lambda got, want: isinstance(got, tuple) and got[:1] != want[:1]),
        checks.Deadline(advice="Wait with thread.join(timeout=deadline) (it returns as soon as the thread "
                        "ends), and return right after it."),
        checks.Workers(work="given", together=False),
        checks.Leaks("run_with_deadline()", advice="Make the thread a daemon (daemon=True): a thread that "
                     "missed its deadline must not keep the program alive."),
    ),
    driver=drive,
)
