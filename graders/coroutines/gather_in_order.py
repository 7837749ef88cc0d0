"""Grader for coroutines/gather_in_order: concurrent fetches, results in input order, total time = longest wait.

The driver runs ``fetch_all`` on scenarios (``coursekit.scenarios``): no jobs, one job, jobs of equal delays,
a name given twice, and up to 8 jobs drawn from a fixed seed, smallest first; so a hard-coded number of jobs,
``asyncio.wait`` on an empty set, or an order rebuilt from the delays each fail a named scenario.  What it
prints and returns is compared with the reference's on the same scenarios.
"""

from coursekit import checks, scenarios
from coursekit.grading import Grader
from coursekit.scenarios import Scenario, plural

DELAYS = (0.5, 1, 1.5, 2, 3)
NAMES = ("ant", "bee", "cat", "dog", "eel", "fox", "gnu", "hen")


def case(jobs):
    said = ", ".join(f"{n} ({d:g} s)" for n, d in jobs)
    return Scenario(f"{plural(len(jobs), 'job')}: {said}" if jobs else "no jobs", {"jobs": jobs}, size=len(jobs))


def random_case(rng):
    return case([(name, rng.choice(DELAYS)) for name in rng.sample(NAMES, rng.randint(2, 8))])


SCENARIOS = scenarios.draw(random_case, seed=12, count=3, fixed=(
    case([]),
    case([("one", 1)]),
    case([("slow", 3), ("fast", 1), ("medium", 2)]),
    case([("b", 1.5), ("a", 2), ("d", 0.5), ("c", 2)]),
    case([("x", 1), ("y", 1), ("z", 1)]),        # equal delays
    case([("dup", 2), ("other", 1), ("dup", 0.5)]),  # a name given twice
))


async def drive(student):
    """Every scenario through fetch_all(); return each one's result (or the exception it raised)."""
    return await scenarios.run_each_async(SCENARIOS, lambda s: student.fetch_all(list(s["jobs"])))


grader = Grader(
    checks=(checks.Runs(), checks.Work(), checks.Output(), checks.Timing(), checks.Order(),
            checks.Elapsed("fetch_all()"),
            checks.Returns("fetch_all()"), checks.Join()),
    work=("fetch",),  # its calls are the work: checks.Work compares them with the reference's
    driver=drive,
)
