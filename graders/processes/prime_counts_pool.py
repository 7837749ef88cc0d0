"""Grader for processes/prime_counts_pool: the right counts in input order, computed by a process pool that
was given several calls at once.  No speed-up is measured: the grading machine may have a single core."""

from coursekit import checks
from coursekit.grading import Grader

LIMITS = [20_000, 5_000, 30_000, 10_000, 25_000, 2_000]


def drive(student):
    """Count the primes of six limits with two workers; print and return the counts."""
    counts = list(student.prime_counts(list(LIMITS), 2))
    for limit, count in zip(LIMITS, counts, strict=False):  # the student may return too few or too many
        print(f"primes below {limit}: {count}")
    return counts


grader = Grader(
    checks=(checks.Runs(), checks.Work(), checks.Returns("prime_counts()"), checks.PoolParallel()),
    driver=drive,
    work=("count_primes",),  # each limit counted once, in the pool's workers (not by the parent)
)
