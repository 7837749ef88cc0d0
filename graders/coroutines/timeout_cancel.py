"""Grader for coroutines/timeout_cancel: work past its limit is cancelled then and cleans up, a failure of any
type is reported, a cancellation from the caller goes on to the caller, and nothing is left pending.

The driver runs ``run_with_timeout`` on scenarios (``coursekit.scenarios``), smallest first: jobs that finish in
time (a 0-second one too), jobs that time out under several limits, jobs that fail with exceptions of several
types (the grader's own jobs, put in place of ``slow_job`` for the call), the caller cancelling the task that
awaits ``run_with_timeout`` before either the job or its limit is over, and two calls at once.  So an ``except``
that names one exception type, one that also catches ``CancelledError`` (``except BaseException``, ``except
(asyncio.CancelledError, TimeoutError)``), a shield that keeps the caller's cancellation from the job, or a
hard-coded limit each fail a named scenario.  A final pause of 1 s lets work left running in the background
show (the pair's slow job would still run when the driver returns).
"""

import asyncio

from coursekit import checks, scenarios
from coursekit.grading import Grader
from coursekit.scenarios import Scenario

SECONDS = (0.5, 1, 1.5, 2, 3, 4)
LIMITS = (0.75, 1.25, 1.75, 2.5, 3.5)  # never equal to a job's length, nor to a moment the caller cancels
ERRORS = (ValueError, KeyError, ConnectionError, RuntimeError, OSError, ZeroDivisionError, LookupError)
NAMES = ("ant", "bee", "cat", "dog", "eel", "fox", "gnu", "hen")


def job(name, seconds, limit):
    return Scenario(f"job {name!r} of {seconds:g} s and limit {limit:g} s",
                    {"kind": "job", "name": name, "seconds": seconds, "limit": limit}, size=min(seconds, limit))


def failing(name, error, seconds, limit):
    return Scenario(f"job {name!r} failing with {error.__name__} after {seconds:g} s and limit {limit:g} s",
                    {"kind": "fails", "name": name, "seconds": seconds, "limit": limit, "error": error},
                    size=seconds)


def cancelled(name, seconds, limit, at):
    return Scenario(f"job {name!r} of {seconds:g} s and limit {limit:g} s, the caller cancelling it at {at:g} s",
                    {"kind": "cancelled", "name": name, "seconds": seconds, "limit": limit, "at": at}, size=at)


def pair(first, second, limit):
    said = " and ".join(f"{n!r} of {s:g} s" for n, s in (first, second))
    return Scenario(f"jobs {said} at once, limit {limit:g} s",
                    {"kind": "pair", "jobs": (first, second), "limit": limit}, size=max(first[1], second[1]) + 1)


_FRESH = iter(NAMES)  # one name per drawn scenario: a job's lines never look like another scenario's


def random_case(rng):
    name, seconds, limit = next(_FRESH), rng.choice(SECONDS), rng.choice(LIMITS)
    kind = rng.choice(("job", "fails", "cancelled"))
    if kind == "fails":
        return failing(name, rng.choice(ERRORS), min(seconds, limit - 0.25), limit)
    if kind == "cancelled":  # the caller cancels first, a quarter of a second before the job or its limit ends
        return cancelled(name, seconds, limit, min(seconds, limit) - 0.25)
    return job(name, seconds, limit)


SCENARIOS = scenarios.draw(random_case, seed=7, count=4, fixed=(
    job("quick", 1, 2), job("slow", 5, 2), job("zero", 0, 1), job("late", 3, 1.25),
    failing("bad", ValueError, 1, 2), failing("lost", KeyError, 0.5, 3),
    cancelled("stop", 3, 2, 1), cancelled("halt", 4, 3.5, 2.5),
    pair(("a", 3), ("b", 1), 1.5),
))


def failing_job(error):
    """The grader's job that fails: it waits ``seconds``, then raises ``error`` (it prints nothing: every line of
    the run stays the student's)."""

    async def slow_job(name, seconds):
        await asyncio.sleep(seconds)
        raise error(f"{name} broke")

    return slow_job


async def one(student, s):
    """One scenario's call of run_with_timeout, as its kind says."""
    if s["kind"] == "pair":
        return await asyncio.gather(*(student.run_with_timeout(n, secs, s["limit"]) for n, secs in s["jobs"]))
    call = student.run_with_timeout(s["name"], s["seconds"], s["limit"])
    if s["kind"] == "cancelled":
        return await scenarios.cancelled_after(s["at"], call)
    if s["kind"] == "fails":
        own, student.slow_job = student.slow_job, failing_job(s["error"])  # looked up by name at each call
        try:
            return await call
        finally:
            student.slow_job = own
    return await call


async def drive(student):
    """Every scenario through run_with_timeout(); return each one's result (or the exception it raised)."""
    results = await scenarios.run_each_async(SCENARIOS, lambda s: one(student, s))
    await asyncio.sleep(1)  # work left running in the background prints now, or is still running at the end
    print("after a pause")
    return results


grader = Grader(
    checks=(checks.Runs(), checks.Output(), checks.Timing(), checks.Order(), checks.Cancellation(),
            checks.Returns("run_with_timeout()"), checks.Join()),
    driver=drive,
)
