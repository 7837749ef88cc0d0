"""Grader for coroutines/bounded_semaphore: never more than ``limit`` jobs at once, that many when work allows,
first come first served, results in order.

The driver runs ``run_limited`` on scenarios (``coursekit.scenarios``): no jobs, one job, limits 1 to 4 with
more jobs than the limit, a limit above the number of jobs, and jobs of equal length, smallest first; so a
hard-coded limit, a count of jobs assumed, or ``asyncio.wait`` on an empty set each fail a named scenario.
Job names carry the scenario's number (``b3``), so ``InFlight`` counts each scenario's jobs apart from the
others' (it counts the jobs running at once from their ``job X starts`` / ``job X done`` lines).
"""

from coursekit import checks, scenarios
from coursekit.grading import Grader
from coursekit.scenarios import Scenario

LENGTHS = (0.5, 1, 1.5, 2, 3)
_made = iter(range(1, 1000))


def case(seconds, limit):
    """Jobs of ``seconds`` each, named by letter and by the order the scenario was made in (unique names)."""
    tag = next(_made)
    jobs = [(f"{chr(ord('a') + k)}{tag}", s) for k, s in enumerate(seconds)]
    said = ", ".join(f"{n} ({s:g} s)" for n, s in jobs) if jobs else "none"
    return Scenario(f"limit={limit} and jobs {said}" if jobs else f"limit={limit} and no jobs",
                    {"jobs": jobs, "limit": limit}, size=len(jobs) + limit)


def random_case(rng):
    return case([rng.choice(LENGTHS) for _ in range(rng.randint(1, 7))], rng.randint(1, 4))


SCENARIOS = scenarios.draw(random_case, seed=14, count=4, fixed=(
    case([], 2),
    case([1], 1),
    case([2], 3),                       # a limit above the number of jobs
    case([1, 2, 1], 1),                 # one at a time
    case([1, 1, 1, 1], 2),              # equal lengths
    case([3, 1, 2, 1, 2.5, 0.5, 1], 3),
    case([1, 2, 0.5, 1, 1.5], 4),
))


async def drive(student):
    """Every scenario through run_limited(); return each one's result (or the exception it raised)."""
    return await scenarios.run_each_async(SCENARIOS, lambda s: student.run_limited(list(s["jobs"]), s["limit"]))


grader = Grader(
    checks=(checks.Runs(), checks.Work(), checks.Output(), checks.Timing(), checks.Order(),
            checks.InFlight(
                key=r"^job (\w+) ", unit="job",
                too_many="Create one asyncio.Semaphore(limit), share it, and run each whole job inside "
                         "`async with semaphore:`.",
                too_few="Start every job at once (gather) and let the semaphore hold them back; do not await "
                        "them one by one or in batches."),
            checks.Returns("run_limited()"), checks.Join()),
    work=("job",),  # its calls are the work: checks.Work compares them with the reference's
    driver=drive,
)
