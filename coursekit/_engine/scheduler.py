"""A virtual-time scheduler for threads (child side only).

Why: real sleeps make a grader slow, and compressed real sleeps make it flaky under load.  Here only one
*managed* thread runs at a time.  A thread hands over control at every blocking point (sleep, lock, condition,
event, queue, join, thread exit); when no thread can run, the clock jumps to the earliest deadline.  The
resulting timeline depends only on the program, never on the machine.

Ties (several threads due at the same instant) are broken by a policy, ``fifo`` or ``lifo``, so that a grader can
run a program both ways and accept only programs that are right whichever order the instant produces.  Under
``fifo`` the waits due together end in the order they began, which is the order a real run keeps (a chain of
short sleeps drifts, so one long sleep begun with it ends first).

A blocking call the scheduler does not know must not hold the turn: the watchdog ``detach``es a fiber it finds
blocked in one (see ``threads.start_watchdog``), the others go on, and the fiber ``rejoin``s, waiting for a turn,
at its next scheduler call.  While a fiber is detached, no runnable fiber is not a deadlock: it may come back.

The scheduler never imports ``threading``: it is built on ``_thread`` so that it can be installed before any
student code creates a lock.
"""

from __future__ import annotations

import _thread
import heapq
import itertools
from collections import deque
from collections.abc import Callable
from typing import Any

from coursekit._engine.collector import Collector
from coursekit._engine.exploration import PCT, RANDOM, Schedule

_real_lock = _thread.allocate_lock
_get_ident = _thread.get_ident

NS = 1_000_000_000

RUNNING, RUNNABLE, BLOCKED, DONE = "running", "runnable", "blocked", "done"
DETACHED = "detached"
"""A fiber found blocked in a call the scheduler does not know (a real ``select``, a pipe, ``input()``): the turn
was taken from it (``detach``), and it takes a turn again (``rejoin``) at its next scheduler call."""


def to_ns(seconds: float) -> int:
    """Seconds (as given to ``sleep`` or a timeout) to whole virtual nanoseconds, rounding up."""
    ns = int(seconds * NS)
    return ns + 1 if ns < seconds * NS else ns


class Fiber:
    """The scheduling state of one managed thread."""

    __slots__ = ("wid", "ident", "native", "park", "state", "woken", "gen", "joiners", "blocked_on", "thread",
                 "priority")

    def __init__(self, wid: str, thread: Any = None) -> None:
        self.wid = wid
        self.ident: int | None = None
        self.native: int | None = None  # the OS thread id (the watchdog asks the kernel whether it waits)
        self.park = _real_lock()
        self.park.acquire()  # a fiber runs only after someone releases its park lock
        self.state = RUNNABLE
        self.woken = False
        self.gen = 0  # bumped at every block, so that stale sleeper entries are ignored
        self.joiners: list[Fiber] = []
        self.blocked_on = ""
        self.thread = thread
        self.priority = 0.0  # PCT: the highest-priority runnable fiber runs (``Scheduler.preempt``)


class Stop(Exception):
    """Raised inside the scheduler when the run must end (deadlock, time limit)."""


class Scheduler:
    """One baton, many threads.  All state changes happen while holding the baton (or ``_mutex``)."""

    def __init__(
        self,
        *,
        tie: str = "fifo",
        limit_ns: int | None = None,
        on_stuck: Callable[[str, list[Fiber]], None],
        schedule: Schedule | None = None,
        on_switch: Callable[[Fiber, Fiber, int, str], None] | None = None,
    ) -> None:
        if tie not in ("fifo", "lifo"):
            raise ValueError(f"tie policy must be 'fifo' or 'lifo', not {tie!r}")
        self.on_switch = on_switch  # (preempted, next, step, point) when a preemption point switches threads
        self.fibers: list[Fiber] = []
        self.use(schedule if schedule is not None else Schedule.parse(tie))
        self.now = 0
        self.limit_ns = limit_ns
        self.on_stuck = on_stuck  # called with ("deadlock" | "time-limit", fibers); must not return
        self._runq: deque[Fiber] = deque()
        self._sleepers: list[tuple[int, int, int, Fiber]] = []
        self._seq = itertools.count()
        self._ids = itertools.count()
        self._by_ident: dict[int, Fiber] = {}
        self.current: Fiber | None = None
        self.progress = 0  # bumped at every hand-over; a watchdog reads it to find busy loops
        self.detached = 0  # how many fibers are detached (checked first: the common case costs one compare)
        self._mutex = _real_lock()
        self.collector: Collector | None = None  # garbage collection at turn-takings (``collector``), once set

    def use(self, schedule: Schedule) -> None:
        """Follow ``schedule`` from now on (a forked copy of the harness runs one schedule each: the fibers that
        exist, only main then, get their priorities anew from the schedule's seed)."""
        self.schedule = schedule
        self.tie = schedule.tie
        self.steps = 0  # preemption points passed so far (explored schedules count them)
        self._pct = schedule.kind == PCT
        self._walk = schedule.kind == RANDOM
        self._changes = schedule.change_points()
        self._change_value = 1.0  # PCT: each change point drops a priority below every earlier one
        self._rng = schedule.priorities()
        for fiber in self.fibers:
            fiber.priority = 1.0 + self._rng.random() if self._pct else 0.0

    # -- registration -------------------------------------------------------------------------------
    def adopt_current(self) -> Fiber:
        """Make the calling (main) thread the first managed fiber, holding the baton."""
        fiber = self.new_fiber()
        fiber.ident = _get_ident()
        fiber.native = _thread.get_native_id()
        self._by_ident[fiber.ident] = fiber
        fiber.state = RUNNING
        self.current = fiber
        return fiber

    def new_fiber(self, thread: Any = None) -> Fiber:
        fiber = Fiber(f"t{next(self._ids)}", thread)
        if self._pct:  # above every value a change point gives (those are below 1)
            fiber.priority = 1.0 + self._rng.random()
        self.fibers.append(fiber)
        return fiber

    def spawn(self, fiber: Fiber) -> None:
        """A new thread is about to be started: it becomes runnable (it runs when the starter blocks)."""
        self._make_runnable(fiber)

    def abandon(self, fiber: Fiber) -> None:
        """``spawn``ed, but its thread never started (the OS refused it): it is done without having run."""
        with self._mutex:
            if fiber in self._runq:
                self._runq.remove(fiber)
            fiber.state = DONE

    def arrive(self, fiber: Fiber) -> None:
        """Called first thing on the new OS thread: wait for the baton."""
        fiber.ident = _get_ident()
        fiber.native = _thread.get_native_id()
        with self._mutex:
            self._by_ident[fiber.ident] = fiber
        fiber.park.acquire()
        self._took_turn()

    def fiber_of_caller(self) -> Fiber | None:
        """The calling thread's fiber (None: a thread the scheduler does not manage).  A detached fiber first
        waits for a turn: whatever it does next is ordered with the others again."""
        fiber = self._by_ident.get(_get_ident())
        if self.detached and fiber is not None and fiber.state == DETACHED:
            self.rejoin(fiber)
        return fiber

    # -- calls the scheduler does not know ------------------------------------------------------------------
    def detach(self, fiber: Fiber, progress: int) -> bool:
        """Take the turn from ``fiber``, blocked in a call the scheduler cannot see, if it still holds it and
        nothing moved since ``progress`` (called from the watchdog).  Returns whether it did."""
        with self._mutex:
            if self.current is not fiber or fiber.state != RUNNING or self.progress != progress:
                return False
            fiber.state = DETACHED
            self.detached += 1
            self._give_turn()
            return True

    def rejoin(self, fiber: Fiber) -> None:
        """``fiber`` is back from its unknown call: it waits for a turn like any runnable fiber."""
        with self._mutex:
            if fiber.state != DETACHED:
                return
            self.detached -= 1
            if self.current is None:  # everyone else waits on nothing that can move without it: take the turn
                fiber.state = RUNNING
                self.current = fiber
                self.progress += 1
                return
            fiber.state = RUNNABLE
            self._runq.append(fiber)
        fiber.park.acquire()

    # -- blocking -----------------------------------------------------------------------------------
    def block(self, deadline: int | None, reason: str) -> bool:
        """Block the calling fiber until ``wake`` (returns True) or the deadline passes (returns False)."""
        self.fiber_of_caller()  # back from a call the scheduler does not know: wait for a turn first
        with self._mutex:
            me = self.current
            assert me is not None and me.ident == _get_ident(), "block() called off the baton"
            me.state = BLOCKED
            me.woken = False
            me.gen += 1
            me.blocked_on = reason
            if deadline is not None:
                heapq.heappush(self._sleepers, (deadline, next(self._seq), me.gen, me))
            park = self._hand_over(me, park=True)
        if park:
            me.park.acquire()
        self._took_turn()
        return me.woken

    def yield_now(self) -> None:
        """``sleep(0)``: let every other runnable thread go first."""
        self.fiber_of_caller()
        with self._mutex:
            me = self.current
            assert me is not None
            me.state = RUNNABLE
            self._runq.append(me)
            park = self._hand_over(me, park=True)
        if park:
            me.park.acquire()
        self._took_turn()

    def preempt(self, point: str = "") -> None:
        """A preemption point of the running fiber (a call, a ``with``, a store in the student's code): under an
        explored schedule another runnable fiber may take the turn here.  Round robin: the caller goes to the back
        of the queue.  PCT: at a change point the caller's priority drops below all; the highest-priority
        runnable fiber runs.  A random walk: a seeded coin, then a seeded choice of who runs.  ``point``: what
        kind of step comes next (``call``, ``with``, ``store``), for the judge's story.  Under ``fifo`` and
        ``lifo`` nothing is instrumented and this is never called."""
        fiber = self._by_ident.get(_get_ident())
        if fiber is None or fiber is not self.current or fiber.state != RUNNING:
            return  # a thread the scheduler does not manage, or one detached: no turn to give
        with self._mutex:
            if not self._runq:
                return  # nobody else could run here: not a step of the search (PCT's change points fall where
                # a switch is possible, so they are spread over fewer, likelier places)
            self.steps += 1
            if self._pct and self.steps in self._changes:
                self._change_value /= 2
                fiber.priority = self._change_value
            if self._pct and max(f.priority for f in self._runq) <= fiber.priority:
                return
            if self._walk:  # a coin, then a runnable fiber at random: it goes first
                if self._rng.random() < 0.5:
                    return
                chosen = self._runq[self._rng.randrange(len(self._runq))]
                self._runq.remove(chosen)
                self._runq.appendleft(chosen)
            fiber.state = RUNNABLE
            self._runq.append(fiber)
            nxt = self._give_turn()
            if self.on_switch is not None and nxt is not None and nxt is not fiber:
                self.on_switch(fiber, nxt, self.steps, point)
            park = nxt is not fiber
        if park:
            fiber.park.acquire()
            self._took_turn()

    def wake(self, fiber: Fiber) -> None:
        if fiber.state == BLOCKED:
            fiber.woken = True
            fiber.gen += 1  # its sleeper entry, if any, is now stale
            self._make_runnable(fiber)

    def exit_current(self) -> None:
        """The calling fiber's thread is finishing: wake its joiners and give the baton away for good."""
        self.fiber_of_caller()
        with self._mutex:
            me = self.current
            assert me is not None
            me.state = DONE
            for j in me.joiners:
                self.wake(j)
            me.joiners.clear()
            self._hand_over(me, park=False)

    def _took_turn(self) -> None:
        """The calling fiber holds the turn again: a moment the program decided (garbage is collected here)."""
        if self.collector is not None:
            self.collector.point()

    # -- internals ----------------------------------------------------------------------------------
    def _make_runnable(self, fiber: Fiber) -> None:
        fiber.state = RUNNABLE
        if self.tie == "fifo":
            self._runq.append(fiber)
        else:
            self._runq.appendleft(fiber)

    def _pick(self) -> Fiber | None:
        while True:
            if self._runq:
                if self._pct:  # the highest priority first; among equals, the longest waiting
                    best = max(self._runq, key=lambda f: f.priority)
                    self._runq.remove(best)
                    return best
                return self._runq.popleft()
            while self._sleepers and self._sleepers[0][2] != self._sleepers[0][3].gen:
                heapq.heappop(self._sleepers)  # stale: woken early or re-blocked since
            if not self._sleepers:
                if self.detached:
                    return None  # a detached fiber may come back and wake someone: wait for it
                if any(f.state == BLOCKED for f in self.fibers):
                    self.on_stuck("deadlock", [f for f in self.fibers if f.state == BLOCKED])
                return None  # every fiber is done
            deadline = self._sleepers[0][0]
            if self.limit_ns is not None and deadline > self.limit_ns:
                self.on_stuck("time-limit", [f for f in self.fibers if f.state == BLOCKED])
                return None
            self.now = max(self.now, deadline)
            due: list[Fiber] = []
            while self._sleepers and self._sleepers[0][0] <= deadline:
                _, _, gen, fiber = heapq.heappop(self._sleepers)
                if gen == fiber.gen and fiber.state == BLOCKED:
                    due.append(fiber)
            if self.tie == "lifo":
                due.reverse()
            for fiber in due:
                fiber.gen += 1
                fiber.state = RUNNABLE
                self._runq.append(fiber)

    def _hand_over(self, me: Fiber, *, park: bool) -> bool:
        """Give the turn away (``_mutex`` held); returns whether ``me`` must now park (outside the mutex)."""
        nxt = self._give_turn()
        if nxt is None:
            return park and me.state != DONE  # blocked while a detached fiber is out: it hands the turn back
        if nxt is not me:
            return park
        if not park:
            nxt.park.release()
        return False

    def _give_turn(self) -> Fiber | None:
        """The next fiber runs (``_mutex`` held): it is current and its park lock is released, unless it is the
        caller itself; None when no fiber can run now."""
        nxt = self._pick()
        self.progress += 1
        if nxt is None:
            self.current = None
            return None
        previous, self.current = self.current, nxt
        nxt.state = RUNNING
        if nxt is not previous:
            nxt.park.release()
        return nxt
