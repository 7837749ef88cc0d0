"""Grader for processes/prime_counts_pool: the right counts in input order, computed by a process pool of the
size asked for, that was given several calls at once.  No speed-up is measured: the grading machine may have a
single core.

The driver runs ``prime_counts`` on a few scenarios (``coursekit.scenarios``; processes are slow to start, so
few): the limits 0 and 1 (no primes below them) on one worker, a limit given twice, and limits drawn from a
fixed seed on 3 to 8 workers, smallest first.  So a hard-coded pool size (``Pool(2)`` for any ``workers``), a
hard-coded number of limits, a table of known answers or a result keyed by the limit each fail a named
scenario.  The limits are small: the work is real CPU time in every worker.
"""

from coursekit import checks, scenarios
from coursekit.grading import Grader
from coursekit.scenarios import Scenario, plural, show

SMALL = (0, 1, 2, 10, 97, 100, 500, 1000, 2000, 3000)


def case(limits, workers):
    return Scenario(f"limits {show(limits)} and {plural(workers, 'worker')}", {"limits": limits, "workers": workers},
                    size=len(limits) + workers)


def random_case(rng):
    return case([rng.choice(SMALL) for _ in range(rng.randint(3, 6))], rng.randint(3, 8))


# No scenario without limits: under the harness, Pool.map(f, []) raises IndexError (an engine bug in
# coursekit/_engine/processes/pools.py, reported), which would make the reference's expectation wrong.
SCENARIOS = scenarios.draw(random_case, seed=5, count=2, fixed=(
    case([0, 1, 1000], 1), case([3000, 10, 2000, 10], 3)))


def drive(student):
    """Every scenario through prime_counts(); print each count and return each scenario's list (or the exception
    it raised)."""

    def one(s):
        limits = list(s["limits"])
        counts = list(student.prime_counts(list(limits), s["workers"]))
        for limit, count in zip(limits, counts, strict=False):  # the student may return too few or too many
            print(f"primes below {limit}: {count}")
        return counts

    return scenarios.run_each(SCENARIOS, one)


grader = Grader(
    checks=(checks.Runs(), checks.Output(), checks.Work(), checks.Returns("prime_counts()"), checks.PoolParallel()),
    driver=drive,
    work=("count_primes",),  # each limit counted once, in the pool's workers (not by the parent)
)
