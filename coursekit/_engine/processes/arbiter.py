"""Who takes the next item of a queue: the taker that is earliest on logical time, not the fastest in real time.

Why: workers fed by one ``multiprocessing.Queue`` race for its items in real time, and a sleep costs them no real
time, so the first worker to start used to drain the queue (work near-serial on logical time, and which worker
took which item changed from run to run).  A real program's workers take items in the order of their clocks.

How: every student thread of the tree keeps its status on a board (``peers.write_status``: its context id, its
logical clock, what it does).  A ``get`` (or ``empty()``, ``qsize()``) on a student's queue first *asks*: it waits
until no other thread of the tree could still act earlier, i.e. every other thread has ended, or stands later
than the asker's ``(clock, context id)`` key (running, asking, or joining a thread that stands later).  Then it
takes its turn.  Ties are broken by context id, so the same program gives the same order on every run.

Threads blocked where the board cannot see (a lock, an event, a pipe) keep their last clock and hold later askers
back; once the whole tree has settled (nothing runnable, nothing written: ``Quiescence``), the earliest asker goes
anyway, so a program that deadlocks is still reported as a deadlock, not as a hang.

What a ``get_nowait()``, ``get(timeout=...)`` or ``empty()`` sees is decided on logical time too: an item counts
as there if it was put no later than the asker's clock (plus the timeout), whether or not the queue's feeder thread
has really delivered it yet.  Each put and each get is logged on the board for that (``record_put``, ``record_get``).
"""

from __future__ import annotations

import os
import re
import select
import sys
import threading
from collections.abc import Callable
from typing import Any

from coursekit._engine import events, real
from coursekit._engine.processes import clock
from coursekit._engine.processes.peers import board, doorbell, ended_status, pid_ended, ring, statuses, write_status
from coursekit._engine.processes.watchdog import Quiescence, still_moving

SETTLE_LOOK = 0.04
"""Real seconds between two looks at whether the tree has settled, while a thread waits for its turn (every change
on the board wakes it at once: its doorbell rings)."""


def enabled() -> bool:
    return clock.run.probe is not None and clock.current_task() is None


# -- how ties on logical time are broken -------------------------------------------------------------------------
_TIE = "COURSEKIT_PROCESS_TIE"
_served = threading.local()


def set_tie(tie: str) -> None:
    """``fifo``: threads at the same logical time go in start order (the first-come schedule); ``rr`` (round robin):
    the one that has taken fewer turns goes first, so two workers at one moment alternate, call by call.

    Why round robin: a worker that checks ``q.empty()`` and then calls ``q.get()`` always did both before its twin
    at the same moment checked, so the gap between the two (the other worker takes the last item; this one waits
    forever), which real processes fall into, never opened.  Children read the policy from the environment."""
    os.environ[_TIE] = tie


def _round_robin() -> bool:
    return os.environ.get(_TIE) == "rr"


def _turns() -> int:
    return int(getattr(_served, "n", 0))


def new_thread() -> None:
    """The calling thread starts with no turns taken (and has read none of the turn log)."""
    _served.n, _served.seen, _served.last = 0, 0, None


def _rank(ctx: str, turns: Any) -> tuple[Any, ...]:
    """Where a thread stands among those at the same logical time (lower goes first)."""
    return (int(turns or 0), _order(ctx)) if _round_robin() else _order(ctx)


def publish(state: str = "run", ctx: str | None = None, **fields: Any) -> None:
    """Put the calling thread's status on the board (``run`` at its clock, unless said otherwise)."""
    if not enabled():
        return
    if ctx is None:
        me = threading.current_thread()
        if me is not threading.main_thread() and not getattr(me, "_ck_id", None):
            return  # not a thread of the program (a helper, or a thread already gone from ``threading``)
        ctx = clock.context()
    write_status(ctx, {"st": state, "t": clock.clock(), "pid": os.getpid(),
                       "tid": threading.get_native_id(), "n": _turns(), **fields})


def announce(ctx: str, t: float) -> None:
    """A thread or process about to start: it runs from ``t`` (written by its starter, before it can act)."""
    if clock.run.probe is not None:
        write_status(ctx, {"st": "run", "t": t})


def ended(ctx: str, t: float) -> None:
    if clock.run.probe is not None:
        write_status(ctx, {"st": "end", "t": t})


def _order(ctx: str) -> tuple[Any, ...]:
    """Context ids in natural order (``p:Process-2`` before ``p:Process-10``: start order, for same-time ties)."""
    parts = re.split(r"(\d+)", ctx)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts)


def _key_of(status: dict[str, Any], board_: dict[str, dict[str, Any]], queue: str,
            depth: int = 0) -> tuple[float, Any, int] | None:
    """The earliest ``(time, order, 0)`` at which the thread of ``status`` could still act (``None``: it cannot
    act before someone else on the board does, or never will)."""
    state = status.get("st")
    if state == "end":
        return None
    t = float(status.get("t", 0.0))
    own = (t, _rank(str(status.get("ctx", "")), status.get("n")), 0)
    if state == "join":  # it goes on once its target ends: just after the target, no earlier
        until = status.get("until")
        target = board_.get(str(status.get("on", ""))) or ended_status(str(status.get("on", "")))
        if target is None or depth > 8:
            return own
        if target.get("st") == "end" or _gone(target):
            resume = max(t, float(target.get("t", 0.0)))
            return (resume if until is None else min(resume, float(until)), own[1], 0)
        inner = _key_of(target, board_, queue, depth + 1)
        if inner is None:
            return None if until is None else (float(until), own[1], 0)
        after = (inner[0], inner[1], 1)
        key = max(own, after)
        return key if until is None or key[0] <= float(until) else (float(until), own[1], 0)
    if state == "wait":  # waiting to be notified: it goes on when notified (or at its timeout)
        until = status.get("until")
        if until is None:
            return None
        begun = last_call(str(status["on"])) if status.get("on") else None
        if begun is not None and begun[0] != status.get("seen"):
            # a call on what it waits for, since it last looked: it may be over from that call's time on
            return (max(t, begun[1]), own[1], 0)
        return (float(until), own[1], 0)
    if state == "get" and status.get("until") is not None:
        # A get (or an acquire) with a timeout: it goes on at its item's time, or at its deadline without one.
        first = earliest_due(str(status.get("q", "")))
        until = float(status["until"])
        return (until if first is None else min(until, max(t, first)), own[1], 0)
    if state == "get" and status.get("q") != queue:
        # In a real get on another queue: it goes on when an item comes.  An item already put wakes it at that
        # item's time; without one, whoever puts next stands on the board (and holds the asker back if earlier).
        first = earliest_due(str(status.get("q", "")))
        if first is None:
            return None
        return (max(t, first), own[1], 0)
    return own


def all_blocked() -> bool:
    """Whether every thread on the board waits for something that no thread on it will do (an item nobody put, a
    join of such a thread, a notification with no timeout): a deadlock by logical time, if nothing is still in
    flight (the caller checks that the tree is still).  A thread that runs, asks for its turn or has a deadline
    is not blocked; nor is one whose process ended without saying so (it is not known what it left)."""
    board_ = {str(s.get("ctx")): s for s in statuses()}
    live = [s for s in board_.values() if s.get("st") != "end"]
    return bool(live) and all(not _gone(s) and _key_of(s, board_, "") is None for s in live)


def _gone(status: dict[str, Any]) -> bool:
    """Whether the process of ``status`` has really ended without saying so (killed, or died)."""
    pid = status.get("pid")
    return isinstance(pid, int) and pid != os.getpid() and pid_ended(pid)


def _blockers(me: str, key: tuple[float, Any, int], queue: str, board_: dict[str, dict[str, Any]]) -> list[str]:
    out = []
    for ctx, status in board_.items():
        if ctx == me:
            continue
        other = _key_of(status, board_, queue)
        if other is not None and other < key and not _gone(status):
            out.append(ctx)
    return out


def wait_turn(queue: str) -> None:
    """Wait until the calling thread is the earliest of the tree that could act on logical time."""
    me = clock.context()
    key = (clock.clock(), _rank(me, _turns()), 0)
    publish("ask", q=queue)
    look = _Look()
    while True:
        board_ = {str(s.get("ctx")): s for s in statuses()}
        if not _blockers(me, key, queue, board_):
            break
        if look.settled():  # nothing in the tree can move: the earliest asker goes
            askers = [(float(s.get("t", 0.0)), _rank(ctx, s.get("n")), 0) for ctx, s in board_.items()
                      if s.get("st") == "ask" and not _gone(s)]
            if not askers or min(askers) >= key:
                break
        look.wait(SETTLE_LOOK)
    _served.n = _turns() + 1
    if _round_robin():
        _log_turn(me, key[0], queue)


def _log_turn(me: str, t: float, queue: str) -> None:
    """Round robin: every turn taken goes on the board's turn log.  A thread whose last turn was at this same
    moment, and that finds there a turn another took since (first-come ties never let that happen: a thread
    takes all its turns of one moment in a row), writes that as a switch (``preempt``): it was paused here while
    the other ran (one that took its turn on the same queue or lock, if any: it is the one that mattered), and the
    failure's story names that window (one worker paused just before ``tasks.get()`` while another took the last
    task).  The log is in the order turns were taken, which logical time decides, so the same run tells the same."""
    path = os.path.join(board(), "turns.log")
    try:
        with open(path, "rb") as f:
            f.seek(getattr(_served, "seen", 0))
            news = f.read()
    except OSError:
        news = b""
    _append(path, f"{t!r} {me} {queue}\n")
    last, _served.last = getattr(_served, "last", None), t
    try:
        _served.seen = os.path.getsize(path)
    except OSError:
        pass
    if last != t or _told.count >= events.MAX_PREEMPTS:
        return
    others: list[tuple[bool, str]] = []  # (not on this queue, who), in the log's order
    for line in news.decode("ascii", "replace").splitlines():
        when, _, rest = line.partition(" ")
        other, _, on = rest.partition(" ")
        try:
            if float(when) == t and other != me:
                others.append((on != queue, other))
        except ValueError:
            continue
    if others:
        _told.count += 1
        to = next((other for elsewhere, other in others if not elsewhere), others[0][1])
        clock.probe().emit(events.PREEMPT, id=me, to=to, where=_student_line(), step=_turns(), point="call")


def _student_line() -> str:
    """Where the calling thread's own code asked for its turn (``file.py:12 in func``, or ``""``)."""
    return clock.probe().where(sys._getframe(2))


class _told:
    count = 0
    """Switches written by this process (at most ``events.MAX_PREEMPTS``)."""


class _Look:
    """Waiting on the board: for its doorbell (every change rings it) or a while, and now and then whether the
    tree has settled (dear to ask: it reads /proc; and it takes a while to say yes anyway)."""

    def __init__(self) -> None:
        _, self.bell = doorbell()
        self.quiet, self.looked = Quiescence(), real.monotonic()

    def settled(self) -> bool:
        if real.monotonic() - self.looked < SETTLE_LOOK:
            return False
        self.looked = real.monotonic()
        return self.quiet.settled()

    def wait(self, seconds: float) -> None:
        try:
            ready, _, _ = select.select([self.bell], [], [], seconds)
            if ready:
                os.read(self.bell, 4096)
        except (OSError, ValueError):
            real.sleep(seconds)


def nobody_before(t: float) -> bool:
    """Whether no other thread of the tree could still act before logical time ``t`` (one look at the board)."""
    me = clock.context()
    return not _blockers(me, (t, _rank(me, _turns()), 0), "", {str(s.get("ctx")): s for s in statuses()})


def none_can_act_before(t: float) -> bool:
    """Whether no other thread of the tree can act before logical time ``t``: the board says so, no thread of the
    tree is runnable, and then the board still says so.

    Why both: the board can lag behind a thread for a moment.  A wake-up the caller sent is in flight until its
    thread has run, and a thread that has just got what it waited for still shows as waiting until it says
    otherwise; either is runnable meanwhile.  Read from the board alone, a ``Condition.wait(timeout)`` once timed
    out at its deadline while the notifier, in that moment, was about to notify it (one run in about 50, under
    load).  (The board is cheap to read, ``/proc`` is not: it is read only once the board agrees.)"""
    return nobody_before(t) and not still_moving() and nobody_before(t)


def stands_past(ctx: str, pid: int | None) -> bool:
    """Whether every thread of the process ``ctx`` (``pid``) stands where it cannot act before the calling thread
    on logical time (waiting for its turn behind it, say).  Its main thread must be on the board.

    Why: the main program's read of a shared value waits for every child to get past it; a child waiting for
    its turn *behind* the reader never would, and the read waited out the whole grace period."""
    board_ = {str(s.get("ctx")): s for s in statuses()}
    if ctx not in board_:
        return False
    me = clock.context()
    key = (clock.clock(), _rank(me, _turns()), 0)
    for other, status in board_.items():
        if other != me and (other == ctx or (pid is not None and status.get("pid") == pid)):
            when = _key_of(status, board_, "")
            if when is not None and when < key:
                return False
    return True


def wait_due(queue: str, by: float) -> bool:
    """For a get (or an acquire) that may wait until logical time ``by``, after its turn: wait until logical time
    says whether an item of ``queue`` comes by then.  True: one was put no later than ``by`` (the take happens at
    its time); False: none comes in time, and the wait times out at ``by``.

    Why: a ``get(timeout=1)`` used to decide at once from what was already put, so an item put at 0.3 s by a
    process that had not got that far in real time was missed, and the get timed out at 1 s.  Now it waits until
    no other thread could act before the earliest item put, or before ``by``; a tree that has settled cannot."""
    publish("get", q=queue, until=by, polls=True)
    look = _Look()
    while True:
        first = earliest_due(queue)
        if first is not None and first <= clock.clock():
            return True
        target = by if first is None else min(by, first)
        if none_can_act_before(target) or look.settled():
            first = earliest_due(queue)
            return first is not None and first <= by
        look.wait(SETTLE_LOOK)


READY_LOOK = 0.01
"""Real seconds a timed waiter waits for what it waits for before it looks at the board again."""


# -- calls on a manager's objects, for the timed waits that poll them ----------------------------------------------
def _call_log(name: str, what: str) -> str:
    return os.path.join(board(), f"c-{name}.{what}")


def call_begun(name: str, token: str, t: float) -> None:
    """A call on a manager's object ``name`` begins (by a thread at logical time ``t``)."""
    _replace(_call_log(name, "begun"), f"{token} {t!r}")
    ring()


def call_done(name: str, token: str) -> None:
    _replace(_call_log(name, "done"), token)
    ring()


def last_call(name: str) -> tuple[str, float] | None:
    """The token and time of the last call begun on ``name`` (``None``: none yet)."""
    token, _, t = " ".join(_read_lines(_call_log(name, "begun"))).partition(" ")
    try:
        return (token, float(t)) if token else None
    except ValueError:
        return None


def call_in_progress(name: str) -> bool:
    begun = last_call(name)
    return begun is not None and begun[0] != " ".join(_read_lines(_call_log(name, "done")))


def _replace(path: str, text: str) -> None:
    tmp = f"{path}.{os.getpid()}.{threading.get_native_id()}"
    try:
        real.replace_file(path, text.encode("ascii", "replace"), tmp)
    except OSError:
        pass


def wait_until(ready: Callable[[float], bool], until: float, **fields: Any) -> bool:
    """For a wait with a deadline on logical time (``Condition.wait(timeout)``, a manager's ``Event.wait(timeout)``):
    wait for it to be over (``ready(seconds)`` waits up to that long, really, and says whether it is) until no
    other thread of the tree could act before ``until``.  False: it was not over in time (the caller's clock is
    moved to ``until``, where the real program gives up).

    Why: such waits counted their timeout on the real clock, where the other processes' sleeps cost nothing, so a
    main that waited 0.5 s for an event set at 2.5 s got it at once (and printed at 0 s)."""
    publish("wait", until=until, polls=True, **fields)
    look = _Look()
    while True:
        if ready(READY_LOOK):
            return True
        if none_can_act_before(until) or look.settled():
            if ready(0.0):  # (over just now)
                return True
            clock.advance_to(until)
            return False


# -- what is on a queue at a moment of logical time -----------------------------------------------------------
def _log(queue: str, what: str) -> str:
    return os.path.join(board(), f"q-{queue}.{what}")


def _append(path: str, line: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode("ascii", "replace"))
        finally:
            os.close(fd)
    except OSError:
        pass


def record_put(queue: str, uid: str, t: float) -> None:
    _append(_log(queue, "puts"), f"{uid} {t!r}\n")
    ring()


def record_get(queue: str, uid: str) -> None:
    """The calling thread took item ``uid`` of ``queue`` (or a permit of a lock).  It says it runs first: once
    the item is logged taken, a status that still said "waiting for an item" would say it waits for nothing
    anyone will put, so for a moment nobody would wait for it."""
    publish()
    _append(_log(queue, "gets"), f"{uid}\n")
    ring()


def _read_lines(path: str) -> list[str]:
    try:
        return real.read_file(path).decode("ascii", "replace").splitlines()
    except OSError:
        return []


def _untaken(queue: str) -> list[float]:
    """The times of the items put on ``queue`` and not taken yet (gets are read first: an item is never seen
    taken before it is seen put)."""
    taken = set(_read_lines(_log(queue, "gets")))
    out = []
    for line in _read_lines(_log(queue, "puts")):
        uid, _, t = line.partition(" ")
        try:
            if uid not in taken:
                out.append(float(t))
        except ValueError:
            continue
    return out


def taken(queue: str, prefix: str) -> int:
    """How many takes of ``queue`` were logged under a uid starting with ``prefix``."""
    return sum(1 for uid in _read_lines(_log(queue, "gets")) if uid.startswith(prefix))


def first_untaken(queue: str) -> tuple[str, float] | None:
    """The earliest item of ``queue`` not taken yet (its uid and time), if any."""
    taken_ = set(_read_lines(_log(queue, "gets")))
    best: tuple[str, float] | None = None
    for line in _read_lines(_log(queue, "puts")):
        uid, _, t = line.partition(" ")
        try:
            if uid not in taken_ and (best is None or float(t) < best[1]):
                best = (uid, float(t))
        except ValueError:
            continue
    return best


def due(queue: str, by: float) -> int:
    """How many items of ``queue`` were put no later than ``by`` and are not taken yet."""
    return sum(1 for t in _untaken(queue) if t <= by)


def earliest_due(queue: str) -> float | None:
    times = _untaken(queue)
    return min(times) if times else None


def make_board() -> None:
    """The main program makes the board before any child starts."""
    try:
        os.makedirs(board(), exist_ok=True)
    except OSError:
        pass
