"""Grader for processes/queue_workers_processes: the right results, the work (``square``) done by the workers and
shared among them as in the reference, every task and sentinel taken off its queue exactly once, the workers
running at the same time, and every worker joined with exit code 0.

Which worker takes which task follows logical time (the engine's arbiter gives the next item to the worker whose
clock is earliest), so ``work`` can compare who made each call and how many ran at once with the reference;
results are still compared as a dict, and queues item by item.

The driver runs ``run`` on scenarios (``coursekit.scenarios``): no numbers, the number 0 (a worker that stops on
a falsy task stops there), repeated numbers (a collector that waits for as many distinct results as tasks waits
forever), and worker counts from 1 to 8, smallest first.  Processes are dear to start, so there are few.
"""

from coursekit import checks, scenarios
from coursekit.grading import Grader
from coursekit.scenarios import Scenario, plural, show


def case(numbers, workers):
    return Scenario(f"numbers {show(numbers)} and {plural(workers, 'worker')}",
                    {"numbers": numbers, "workers": workers}, size=len(numbers) + workers)


def random_case(rng):
    return case(scenarios.numbers(rng, rng.randint(2, 8)), rng.randint(4, 8))


SCENARIOS = scenarios.draw(random_case, seed=7, count=1, fixed=(
    case([], 2), case([0], 1), case([2, 2, 3], 2), case([3, 1, 4, 10, 5, 9, 2, 6], 3)))


def square_all(student, s):
    """One scenario: its results sorted by number, each printed."""
    squares = student.run(list(s["numbers"]), s["workers"])
    for n, square in sorted(squares.items()):
        print(f"{n} squared is {square}")
    return sorted(squares.items())


def drive(student):
    """Every scenario through run(); return each one's results (or the exception it raised)."""
    return scenarios.run_each(SCENARIOS, lambda s: square_all(student, s))


grader = Grader(
    checks=(checks.Runs(), checks.Work(advice="Let every worker process take numbers off the tasks queue and call "
                                              "square() itself; main only puts the numbers and collects results."),
            checks.Returns("run()"), checks.QueuesDrained(), checks.ConcurrentChildren(), checks.ChildProcesses()),
    driver=drive,
    work=("square",),  # its calls are the work: which worker made each, and how many at once, as in the reference
)
