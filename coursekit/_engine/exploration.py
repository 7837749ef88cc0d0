"""Which schedules a submission is run under: the two tie policies, then explored ones (pure; both sides use it).

Why more than two: the virtual scheduler hands the turn over only where a thread blocks, so two non-blocking
steps of two threads are never interleaved, and the races a course exists to teach (``empty()`` then ``get()``,
a check outside its lock, ``if`` for ``while`` around ``wait()``, ``counter.value += 1``) never show.  An
*explored* schedule may also switch threads at a **preemption point**: before a call, a ``with`` or a store to
shared state (an attribute, an item, a global, a closure cell) in the student's own code
(``coursekit._engine.preempt``).  Two searches choose where, both seeded, so that the same submission gets the
same schedules, hence the same verdict, on every run and every machine:

* ``rr`` (round robin): at every preemption point the running thread goes to the back of the queue.  Every
  window of one preemption point between two steps of one thread is opened, for every thread at once: an
  atomicity violation such as ``empty()``-then-``get()`` or an unguarded read-modify-write shows in one run.
* ``pct`` (probabilistic concurrency testing, Burckhardt et al., ASPLOS 2010): every thread gets a random
  priority, the highest-priority runnable thread runs, and at ``depth - 1`` random steps among the ``steps`` the
  run is expected to take, the running thread's priority drops below every other.  A step is a preemption point
  at which another thread could run (one where nobody else is runnable cannot open a window).  A bug of depth
  ``d`` (``d - 1`` orderings that must all go one way) among ``n`` steps and ``k`` threads is found by one such
  schedule with probability at least ``1 / (k * n ** (d - 1))`` (``odds``), whatever the program.
* ``random`` (a seeded random walk, as Coyote's default scheduler): at every point, with probability one half,
  another runnable thread (chosen at random) takes the turn.  Round robin keeps threads in lockstep; a walk lets
  one thread run two or three steps while another waits (``a.append(x); b.append(i)`` split by a whole pair
  of another thread's), which PCT finds only if a change point falls on that one step.

Schedule 0 is first-come ties (``fifo``), 1 is last-come ties (``lifo``), as before: neither preempts.  From 2
on they are explored: 2 is round robin, then random walks and PCT schedules in turn (3 a walk, 4 PCT, 5 a walk,
6 PCT...), each seeded by its number.  A schedule's text form (``spec``) is what
the judge hands the child in the run's spec.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FIFO, LIFO, ROUND_ROBIN, PCT, RANDOM = "fifo", "lifo", "rr", "pct", "random"
KINDS = (FIFO, LIFO, ROUND_ROBIN, PCT, RANDOM)
EXPLORED = (ROUND_ROBIN, RANDOM, PCT)
"""Every kind of explored schedule (threads and asyncio explore all; processes only round robin at ties)."""

DEFAULT_STEPS = 400
"""How many preemption points a PCT schedule spreads its change points over when the run's own count is not
known (the first-come run of the same submission gives the count: ``schedules_for(..., steps=)``)."""


@dataclass(frozen=True)
class Schedule:
    """One way of running a submission: a tie policy, and for explored schedules where threads may be switched."""

    number: int
    kind: str
    seed: int = 0
    depth: int = 2
    steps: int = DEFAULT_STEPS
    """PCT: the preemption points to spread the change points over; 0: as many as the round-robin run of the same
    submission passed (the harness fills it in before the schedule runs: ``with_steps``)."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"schedule kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.depth < 1 or self.steps < 0:
            raise ValueError(f"schedule {self.number}: depth must be at least 1, steps at least 0")

    @property
    def tie(self) -> str:
        """The order of threads due at the same instant: last-come only under ``lifo``."""
        return LIFO if self.kind == LIFO else FIFO

    @property
    def preempts(self) -> bool:
        """Whether this schedule may switch threads where none blocks (the student's code is instrumented)."""
        return self.kind in (ROUND_ROBIN, PCT, RANDOM)

    def spec(self) -> str:
        """The text form (``pct:5:2:400``), parsed by ``parse``."""
        return f"{self.kind}:{self.number}:{self.seed}:{self.depth}:{self.steps}"

    @classmethod
    def parse(cls, text: str) -> Schedule:
        """A schedule from ``spec()``; a bare tie policy (``fifo``, ``lifo``) is schedule 0 or 1."""
        if text in (FIFO, LIFO):
            return cls(0 if text == FIFO else 1, text)
        try:
            kind, number, seed, depth, steps = text.split(":")
            return cls(int(number), kind, int(seed), int(depth), int(steps))
        except ValueError:
            raise ValueError(f"not a schedule: {text!r} (expected fifo, lifo or kind:number:seed:depth:steps)")\
                from None

    def with_steps(self, steps: int) -> Schedule:
        """This schedule with ``steps`` preemption points to spread its change points over."""
        return Schedule(self.number, self.kind, self.seed, self.depth, max(1, steps))

    def describe(self, model: str = "threads") -> str:
        """How the schedule ran the threads, for a student: "schedule 4 (threads switched at random points)"."""
        if model == "processes" and self.kind == ROUND_ROBIN:
            return (f"schedule {self.number} (processes due at the same moment took turns at each queue, lock and "
                    "shared object, instead of going in the order they started)")
        what = {
            FIFO: "threads due at the same moment ran first-come",
            LIFO: "threads due at the same moment ran last-come",
            ROUND_ROBIN: "threads took turns at every call and every store to shared data",
            PCT: "threads were switched at points chosen at random, from a fixed seed",
            RANDOM: "threads were switched at random at calls and stores to shared data, from a fixed seed",
        }[self.kind]
        return f"schedule {self.number} ({what})"

    def change_points(self) -> frozenset[int]:
        """PCT: the steps (from 1) at which the running thread's priority drops (``depth - 1`` of them)."""
        if self.kind != PCT or self.depth < 2:
            return frozenset()
        rng = random.Random(f"change-points:{self.seed}")  # noqa: S311 - reproducible, not secret
        return frozenset(rng.randint(1, self.steps or DEFAULT_STEPS) for _ in range(self.depth - 1))

    def priorities(self) -> random.Random:
        """PCT: the generator of the threads' initial priorities (one draw per thread, in creation order); a
        random walk: of its choices."""
        return random.Random(f"priorities:{self.seed}")  # noqa: S311 - reproducible, not secret


def depth_of(number: int) -> int:
    """PCT schedules alternate depth 2 (one ordering forced) and 3 (two), as PCT's authors advise for shallow bugs."""
    return 3 if number % 3 == 2 else 2


def schedules_for(count: int, *, explores: bool | tuple[str, ...], steps: int = 0,
                  ties: tuple[str, ...] = (FIFO, LIFO)) -> tuple[Schedule, ...]:
    """The first ``count`` schedules of a model: its tie policies, then the kinds it ``explores`` (``True``: all
    of them): round robin, then random walks and PCT in turn.

    ``count`` is at least the number of tie policies (the runs every model had before exploration); ``steps``
    of the PCT schedules: 0, as many as the round-robin run passes."""
    kinds = EXPLORED if explores is True else () if explores is False else explores
    base = [Schedule(i, tie) for i, tie in enumerate(ties)]
    if ROUND_ROBIN not in kinds or count <= len(base):
        return tuple(base)
    out = [*base, Schedule(len(base), ROUND_ROBIN)]
    first = len(out)
    walks = [kind for kind in (RANDOM, PCT) if kind in kinds]
    for n, number in enumerate(range(first, count if walks else first)):
        kind = walks[n % len(walks)]
        out.append(Schedule(number, kind, seed=number) if kind == RANDOM else
                   Schedule(number, PCT, seed=number, depth=depth_of(number), steps=max(0, steps)))
    return tuple(out[:count])


def odds(*, threads: int, steps: int, depth: int) -> float:
    """PCT's guarantee: the least probability that one schedule finds a given bug of ``depth``."""
    return 1.0 / (threads * float(steps) ** (depth - 1))


def odds_over(schedules: int, *, threads: int, steps: int, depth: int) -> float:
    """The least probability that ``schedules`` independent PCT schedules find a given bug of ``depth``."""
    return 1.0 - (1.0 - odds(threads=threads, steps=steps, depth=depth)) ** schedules
