"""Scenarios for graders' drivers: many small inputs drawn from a fixed seed, run smallest first.

Why: a driver with one input accepts programs written for that input only (a pool size, a worker count or a case
size hard-coded, a worker that stops on the item ``0``, a collector that counts distinct results, an ``except``
that names the one exception the driver raises).  A driver that tries many inputs catches them, and stays exact:

- **Deterministic.** Scenarios come from ``random.Random(seed)`` with a seed written in the grader, so every run,
  the reference's included, sees the same scenarios in the same order; the reference runs the same driver, so
  each scenario's expected behaviour is simply what the reference did on it (graders hold no expected numbers).
- **Smallest first.** ``draw`` sorts scenarios by the size the grader gives them, so the first scenario that
  goes wrong is the smallest one that shows the mistake: that is the one a message names ("With items [0] and
  1 worker, ...").  This is the shrinking step of property-based testing, done by ordering instead of search.
- **One outcome per scenario.** ``run_each`` prints a marker line before each scenario (``MARK`` + its label), so
  a program that hangs is seen hanging *in* a named scenario, and records what each call returned, or which
  exception it raised, in a dict keyed by the scenario's label: the contract ``checks.Returns`` reads
  (one line per differing scenario).

Why not Hypothesis: the driver runs inside the student's interpreter, which may load only the standard library and
the kit (the sandboxed interpreter runs without site-packages); Hypothesis's search also depends on real-time
deadlines and on how earlier examples went, which a virtual clock and a failing student program both disturb.
A seeded ``random.Random`` and an order by size give the two things needed here, the same scenarios every time
and the smallest failing one first, in a few lines of the standard library.

This module is pure: it imports only the standard library (the child side loads it when it imports a grader).
"""

from __future__ import annotations

import dataclasses
import functools
import random
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

MARK = re.compile(r"^scenario (\d+): (.*)$")
"""The line a driver prints before each scenario (``run_each``): ``scenario 3: items [0] and 1 worker``; checks
read it to say in which scenario a run stopped (group 2 is the label)."""


@dataclass(frozen=True)
class Scenario:
    """One input of a driver: its parameters by name, how it reads in a message, and how big it is.

    ``label`` completes "With ...," in a message, e.g. ``items [0] and 1 worker``; it is also the scenario's key
    in the results a driver returns, so two scenarios of one driver must have different labels.
    """

    label: str
    params: Mapping[str, Any] = field(default_factory=dict)
    size: float = 0.0
    number: int = 0
    """Its place in the run, from 1 (set by ``draw``): work functions given to the student's code can tag their
    lines with it (``processed 4 (scenario 3)``), so that a unit of work is counted per scenario."""

    def __getitem__(self, name: str) -> Any:
        try:
            return self.params[name]
        except KeyError:
            raise KeyError(f"scenario {self.label!r} has no parameter {name!r} (it has {sorted(self.params)})") \
                from None


class Raised(TypedDict):
    """What a scenario's call did when it raised instead of returning (plain data: it crosses the trace as a
    repr, and ``checks.Returns`` says "raised ValueError: ..." for it)."""

    raised: str
    message: str


def draw(make: Callable[[random.Random], Scenario], *, seed: int, count: int,
         fixed: Iterable[Scenario] = ()) -> tuple[Scenario, ...]:
    """``fixed`` scenarios (the edge cases every driver should try: empty, zero, repeated) and ``count`` more
    drawn by ``make`` from ``random.Random(seed)``; duplicates (by label) dropped; smallest first (ties keep
    the order they were made in)."""
    if count < 0:
        raise ValueError(f"draw(count={count}): the number of scenarios to draw must be 0 or more")
    rng = random.Random(seed)  # noqa: S311 - reproducible scenarios, not secrets
    made = [*fixed, *(make(rng) for _ in range(count))]
    unique: dict[str, Scenario] = {}
    for scenario in made:
        if not isinstance(scenario, Scenario):
            raise TypeError(f"draw(): {make!r} made {scenario!r}, not a Scenario")
        unique.setdefault(scenario.label, scenario)
    ordered = sorted(unique.values(), key=lambda s: s.size)  # sorted() is stable
    return tuple(dataclasses.replace(s, number=k) for k, s in enumerate(ordered, 1))


def numbers(rng: random.Random, n: int, *, low: int = 0, high: int = 9) -> list[int]:
    """``n`` integers in ``[low, high]``: a small range on purpose, so that 0 and repeated items come up."""
    return [rng.randint(low, high) for _ in range(n)]


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 worker``, ``3 workers``: labels read as sentences."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def show(items: Sequence[Any], limit: int = 8) -> str:
    """A list as a label shows it: in full when short, else its start and its length."""
    if len(items) <= limit:
        return repr(list(items))
    return f"[{', '.join(repr(x) for x in items[:limit])}, ...] ({len(items)} items)"


def outcome(call: Callable[[], Any]) -> Any:
    """What ``call()`` returned, or a ``Raised`` record of the exception it raised.

    ``NotImplementedError`` is not caught: it is how an unwritten stub says so, and the judge reports it once.
    """
    try:
        return call()
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any other exception is the scenario's outcome, compared
        return _raised(exc)


async def outcome_async(call: Callable[[], Awaitable[Any]]) -> Any:
    """``outcome`` for a coroutine: what it returned, or a ``Raised`` record; a cancellation is recorded as
    ``Raised`` of ``CancelledError`` (the caller asked for it; see ``cancelled_after``)."""
    import asyncio  # (here, not at the top: a threads or processes driver need not import asyncio, 40 ms a run)

    try:
        return await call()
    except NotImplementedError:
        raise
    except asyncio.CancelledError as exc:
        return _raised(exc)
    except Exception as exc:  # noqa: BLE001 - as in outcome()
        return _raised(exc)


def _raised(exc: BaseException) -> Raised:
    return Raised(raised=type(exc).__name__, message=str(exc))


def announce(scenario: Scenario) -> None:
    """Print the marker line of ``scenario``: the run's output shows where each scenario starts."""
    print(f"scenario {scenario.number}: {scenario.label}")


def run_each(scenarios: Iterable[Scenario], call: Callable[[Scenario], Any]) -> dict[str, Any]:
    """Run ``call(scenario)`` for every scenario, in order, each announced by its marker line; return
    ``{label: outcome}`` (the value returned, or ``Raised``)."""
    results: dict[str, Any] = {}
    for scenario in scenarios:
        announce(scenario)
        results[scenario.label] = outcome(functools.partial(call, scenario))
    return results


async def run_each_async(scenarios: Iterable[Scenario],
                         call: Callable[[Scenario], Awaitable[Any]]) -> dict[str, Any]:
    """``run_each`` for coroutines: ``await call(scenario)`` for every scenario, in order."""
    results: dict[str, Any] = {}
    for scenario in scenarios:
        announce(scenario)
        results[scenario.label] = await outcome_async(functools.partial(call, scenario))
    return results


async def cancelled_after(seconds: float, awaitable: Awaitable[Any]) -> Any:
    """Run ``awaitable`` as a task, cancel it from outside after ``seconds``, and give its outcome: what it
    returned (it ignored the cancellation, or finished first) or ``Raised`` of ``CancelledError``."""
    import asyncio

    task = asyncio.ensure_future(awaitable)
    await asyncio.wait({task}, timeout=seconds)
    task.cancel()
    return await outcome_async(lambda: task)


__all__ = ["MARK", "Raised", "Scenario", "announce", "cancelled_after", "draw", "numbers", "outcome",
           "outcome_async", "plural", "run_each", "run_each_async", "show"]
