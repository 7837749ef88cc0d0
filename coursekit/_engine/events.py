"""What a trace says: one definition per event kind, the context ids, what a context waits on, problem kinds.

Why one module: the trace is the only channel from the child side (which writes it) to the judge (which reads
it), in different processes, so nothing but this module keeps the two in step.  The list of kinds used to live
in a docstring of the judge and had drifted (five kinds written were missing from it); the ids of contexts were
formatted in one place and parsed in a dozen.  Now the writer refuses a kind that is not defined here
(``TraceWriter.emit``), the probe refuses a problem kind that is not defined here (``Probe.problem``), and the
judge's reader (``coursekit._judge.timeline``) reads kinds and ids through these names.

Every event is one JSON object with ``e`` (its kind), ``t`` (logical or virtual seconds) and ``id`` (the context
that did it); the ``TypedDict`` of each kind lists the rest.  Pure data: the judge imports this module too.
"""

from __future__ import annotations

from typing import Any, TypedDict

# -- event kinds ----------------------------------------------------------------------------------------------
PHASE = "phase"
SPAWN = "spawn"
END = "end"
LINE = "line"
SLEEP = "sleep"
JOIN = "join"
KILL = "kill"
PROBLEM = "problem"
CRASH = "crash"
ERROR = "error"
UNSTARTED = "unstarted"
CANCEL = "cancel"
SWALLOW = "swallow"
POOL_TASK = "task"
POOL_SCHED = "sched"
TASK_BEGIN = "task-begin"
TASK_END = "task-end"
EXIT = "exit"
QUEUE_PUT = "qput"
QUEUE_GET = "qget"
LOCK = "lock"
SHARED = "shared"
SYNC = "sync"
WORK = "work"
PREEMPT = "preempt"
SCHEDULE = "schedule"


class Event(TypedDict, total=False):
    """What every event carries (``t`` and ``id`` are filled in by the probe when the caller does not)."""

    e: str
    t: float
    id: str


class PhaseEvent(Event, total=False):
    """The run reached a phase: ``import``, ``guard``, ``main`` (with ``is_async``, ``driver``), ``return`` (the
    entry point returned: ``alive`` ids and their ``waits``), ``done`` (with the ``result``'s repr)."""

    name: str
    is_async: bool
    driver: bool
    alive: list[str]
    waits: list[Wait]
    result: str


class SpawnEvent(Event, total=False):
    """A context started: ``kind`` is thread, process or task; ``target`` the function it runs; ``main``: the
    asyncio task that runs the entry point (it *is* main)."""

    parent: str
    kind: str
    target: str
    name: str
    daemon: bool
    phase: str
    where: str
    pid: int
    main: bool


class EndEvent(Event, total=False):
    """A context ended; ``how``: done, error, cancelled, absorbed (a process adds its ``pid``, ``code``, ``lc``)."""

    how: str
    pid: int
    code: int
    lc: int


class LineEvent(Event, total=False):
    """One printed line; ``stream``: out or err; ``partial``: written without its newline (drained at exit);
    ``fn``: the innermost student function on the stack of the write (who printed it, whatever context ran it);
    ``tid``: the OS thread that wrote it to the real stream (the judge checks it against what was seen from
    outside the run: ``coursekit/_judge/corroborate.py``)."""

    text: str
    stream: str
    phase: str
    partial: bool
    fn: str
    tid: int


class SleepEvent(Event, total=False):
    """``time.sleep(d)``; ``student``: called from the student's own code; ``task``: inside a pool call."""

    d: float
    where: str
    student: bool
    task: str


class JoinEvent(Event, total=False):
    """A ``join`` returned: it began at ``t0``; ``done``: the joined context had ended."""

    target: str
    t0: float
    timeout: float | None
    done: bool
    phase: str
    where: str


class KillEvent(Event, total=False):
    """``terminate()`` or ``kill()`` of a process or a pool (``target``); what it did later is dropped."""

    target: str
    how: str
    pid: int
    where: str
    by_with: bool
    """True when the end of a ``with`` block called it (``Pool.__exit__``), not the program itself."""
    cut: list[str]
    """A pool's calls the kill cut off: not ended on logical time before it, their results not received."""


class ProblemEvent(Event, total=False):
    """Something the engine saw go wrong; ``kind`` is one of ``PROBLEM_KINDS``."""

    kind: str
    detail: str
    where: str
    on: str
    waits: list[Wait]


class CrashEvent(Event, total=False):
    """An exception ended a context (or the entry point)."""

    exc: str
    msg: str
    where: str
    phase: str
    task: str


class ErrorEvent(Event, total=False):
    """The student's module could not be run at all; ``kind``: syntax, unreadable, missing."""

    kind: str
    msg: str
    where: str
    line: int | None
    text: str


class UnstartedEvent(Event, total=False):
    """A thread was created and never started."""

    kind: str
    target: str
    where: str
    name: str


class CancelEvent(Event, total=False):
    """``task.cancel()``: who asked (``by``), the student ``work`` it interrupts (and the chain ``works``)."""

    target: str
    by: str
    work: str
    works: list[str]
    at: str
    phase: str
    where: str
    via: str  # the task whose own cancellation was handed on to this one (it awaited ``target``)
    from_task: bool  # asked by a running task (the program, or a caller from outside), not a loop callback


class SwallowEvent(Event, total=False):
    """The program caught the cancellation of ``target``: the timeout that asked for it never knew."""

    target: str


class PoolTaskEvent(Event, total=False):
    """A call was submitted to a pool; ``after``: calls already collected then (it cannot overlap them)."""

    task: str
    pool: str
    submit: float
    target: str
    slots: int
    after: list[str]


class PoolSchedEvent(Event, total=False):
    """A pool call's place on the pool's ideal schedule; ``killed``: when the pool was terminated."""

    task: str
    start: float
    end: float
    killed: float | None


class TaskBeginEvent(Event, total=False):
    """A pool call began in a worker (its events' times are relative to its start)."""

    task: str
    pid: int
    root: bool


class TaskEndEvent(Event, total=False):
    """A pool call ended; ``cpu``: the CPU seconds it really used (tells real work from none)."""

    task: str
    pid: int
    cpu: float


class ExitEvent(Event, total=False):
    """The harness ended the run itself; a run without it was cut short.  ``steps``: the preemption points the
    run passed (explored schedules; the judge spreads PCT's change points over the round-robin run's count)."""

    phase: str
    steps: int
    alone: bool
    """Nothing ran beside the main thread (no thread, no task): every schedule would run the same way."""


class QueuePutEvent(Event, total=False):
    """An item was put on a queue or sent down a pipe (``via``), stamped with ``uid`` and Lamport ``lc``."""

    uid: str
    via: str
    item: str
    lc: int
    where: str
    task: str


class QueueGetEvent(Event, total=False):
    """The item ``uid`` was received."""

    uid: str
    via: str
    lc: int
    where: str
    task: str


class LockEvent(Event, total=False):
    """A student's process lock was acquired or released (``op``); also a ``JoinableQueue``'s ``task_done()``
    (a release of ``<queue>-done``) and the ``join()`` it let return (its acquire)."""

    lock: str
    op: str
    lc: int
    where: str
    task: str


class SharedEvent(Event, total=False):
    """A read, write or init (``op``) of a shared value ``obj``, with the locks ``held``."""

    obj: str
    op: str
    value: Any
    lc: int
    held: list[str]
    where: str
    task: str


class WorkEvent(Event, total=False):
    """One call of a function the grader names as the work (``coursekit._engine.work``): it began at ``t`` and
    took ``d`` seconds; ``name`` is the function, ``args`` a short summary of its arguments, ``how`` returned or
    raised; ``task``: inside a pool call."""

    name: str
    args: str
    d: float
    how: str
    task: str


class SyncEvent(Event, total=False):
    """A synchronization edge into context ``id``: what ``src`` did before its ``at``-th event of this process's
    trace happens before what ``id`` does next.

    Why only the receiving end: a release that nobody acquires orders nothing, so an edge is written once, when
    another context acquires what ``src`` released (a lock, a wake-up, a queue item); a context acquiring its
    own release writes nothing.  ``what`` names the kind of object (lock, wake, queue...), ``obj`` a key stable
    within the run (never the student's ``repr``).  ``op`` is ``acquire``, or ``lost`` when the run had more
    edges than the trace keeps (the judge then knows its causal order is incomplete).  Sync events do not
    count toward the run's event limit (``TraceWriter.emit(counted=False)``).
    """

    src: str
    at: int
    obj: str
    what: str
    op: str


class PreemptEvent(Event, total=False):
    """An explored schedule switched threads where none blocked (``coursekit._engine.exploration``): context
    ``id`` was paused before the student's line ``where`` and ``to`` ran;
    ``step`` counts the run's preemption points; ``point``: what came next there (``call``, ``with``, ``store``).
    Only the first ``MAX_PREEMPTS`` switches are written."""

    to: str
    where: str
    step: int
    point: str


class ScheduleEvent(Event, total=False):
    """Which schedule the run followed (``spec``: ``Schedule.spec()``), and at the end (``steps``) how many
    preemption points it passed."""

    spec: str
    steps: int


MAX_PREEMPTS = 400
"""Switches a trace keeps (a round-robin run of a long loop switches at every step)."""


EVENT_TYPES: dict[str, type[Event]] = {
    PHASE: PhaseEvent, SPAWN: SpawnEvent, END: EndEvent, LINE: LineEvent, SLEEP: SleepEvent, JOIN: JoinEvent,
    KILL: KillEvent, PROBLEM: ProblemEvent, CRASH: CrashEvent, ERROR: ErrorEvent, UNSTARTED: UnstartedEvent,
    CANCEL: CancelEvent, SWALLOW: SwallowEvent, POOL_TASK: PoolTaskEvent, POOL_SCHED: PoolSchedEvent,
    TASK_BEGIN: TaskBeginEvent, TASK_END: TaskEndEvent, EXIT: ExitEvent, QUEUE_PUT: QueuePutEvent,
    QUEUE_GET: QueueGetEvent, LOCK: LockEvent, SHARED: SharedEvent, WORK: WorkEvent, SYNC: SyncEvent,
    PREEMPT: PreemptEvent, SCHEDULE: ScheduleEvent,
}
"""Each event kind and the ``TypedDict`` that describes its fields."""

EVENT_KINDS: frozenset[str] = frozenset(EVENT_TYPES)
"""Every kind a trace may hold; the writer refuses any other."""


def check_kind(kind: str) -> str:
    """``kind`` itself if it is an event kind; a ``ValueError`` naming it otherwise (a bug of the engine)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown trace event kind {kind!r}: define it in coursekit/_engine/events.py "
                         f"(known: {', '.join(sorted(EVENT_KINDS))})")
    return kind


# -- problem kinds ---------------------------------------------------------------------------------------------
FLOOD = "flood"
"""The program wrote more events than the run allows (endless printing); the run was ended."""
SYNC_MAIN = "sync-main"
"""A plain ``def main()`` returned an awaitable (asyncio exercises)."""
STUCK = "stuck"
"""A busy loop, or a call the engine cannot see, made no progress for the stall time."""
DEADLOCK = "deadlock"
"""Every context is waiting for another."""
TIME_LIMIT = "time-limit"
"""The virtual clock passed the run's limit (an endless sleeping loop)."""
STOPPING = frozenset({STUCK, TIME_LIMIT, FLOOD})
"""Problems that stop a run at a real cost (a busy loop, an endless one): the schedules after it are not run."""

RUN_NOT_START = "run-not-start"
"""``Thread.run()`` was called where ``start()`` was meant."""
PROCESS_IN_THREADS = "process-in-threads"
"""A threads exercise started a process."""
PROCESS_IN_COROUTINES = "process-in-coroutines"
"""An asyncio exercise started a process."""
LOOP_ERROR = "loop-error"
"""The event loop reported an error with no exception attached."""
BLOCKING_SLEEP = "blocking-sleep"
"""``time.sleep`` inside a coroutine: it blocks the event loop."""
NEVER_AWAITED = "never-awaited"
"""A coroutine was created and never awaited."""

PROBLEM_KINDS: frozenset[str] = frozenset({
    FLOOD, SYNC_MAIN, STUCK, DEADLOCK, TIME_LIMIT, RUN_NOT_START, PROCESS_IN_THREADS, PROCESS_IN_COROUTINES,
    LOOP_ERROR, BLOCKING_SLEEP, NEVER_AWAITED,
})
"""Every kind of ``problem`` event the engine records (the judge reads them by these strings)."""

PROCESS_IN: dict[str, str] = {"threads": PROCESS_IN_THREADS, "coroutines": PROCESS_IN_COROUTINES}
"""The problem of starting a process, by the model of the exercise that forbids it."""


def check_problem(kind: str) -> str:
    """``kind`` itself if it is a problem kind; a ``ValueError`` naming it otherwise (a bug of the engine)."""
    if kind not in PROBLEM_KINDS:
        raise ValueError(f"unknown problem kind {kind!r}: define it in coursekit/_engine/events.py "
                         f"(known: {', '.join(sorted(PROBLEM_KINDS))})")
    return kind


# -- what a context waits on -----------------------------------------------------------------------------------
class Wait(TypedDict):
    """What one context is blocked on (``on``: ``join``, ``lock``, ``await``, ``get()``...), at which student
    line (``where``, as ``file.py:12 in func``) and that line as written (``code``), or ``""`` when unknown."""

    id: str
    on: str
    where: str
    code: str


def wait(cid: str, on: str, where: str, code: str) -> Wait:
    """The one way a ``Wait`` is made (``Probe.wait_of`` reads ``where`` and ``code`` off a frame)."""
    return {"id": cid, "on": on, "where": where, "code": code}


# -- context ids -----------------------------------------------------------------------------------------------
# The ids stay what they were (a thread fiber ``t0``, ``t1``...; a task ``a0``...; a process ``p:name``...):
# main's id is ``t0`` under the scheduler and ``main`` under logical clocks, and students see neither, but tests,
# the picture and the expectations of the catalogue are built on them.  Everything formats and parses them here.
MAIN = "main"
"""The main program's main thread, in the processes model (where no scheduler numbers the threads)."""
FIBER_PREFIX = "t"
TASK_PREFIX = "a"
PROCESS_PREFIX = "p:"
THREAD_PREFIX = "t:"
POOL_CALL_PREFIX = "task:"
UNMANAGED_PREFIX = "x"


def fiber_id(n: int) -> str:
    """The ``n``-th thread a scheduler manages: ``t0`` (main), ``t1``..."""
    return f"{FIBER_PREFIX}{n}"


FIBER_MAIN = fiber_id(0)
"""The main thread, under the scheduler (threads and asyncio)."""

MAIN_IDS: tuple[str, ...] = (FIBER_MAIN, MAIN)
"""The ids main has, whatever the model."""


def is_main(cid: str) -> bool:
    return cid in MAIN_IDS


def task_id(n: int) -> str:
    """The ``n``-th asyncio task: ``a0``, ``a1``..."""
    return f"{TASK_PREFIX}{n}"


def unmanaged_id(ident: int) -> str:
    """A thread no scheduler knows (the interpreter's own), by its ident."""
    return f"{UNMANAGED_PREFIX}{ident}"


def process_id(name: str, identity: tuple[int, ...] = ()) -> str:
    """A process: ``p:Process-1``, by its name when the name already says its place in the tree.

    ``identity`` is ``multiprocessing``'s own (``(1,)``, ``(1, 2)``: the process's place in the tree, given in
    start order, unique like a pid and, unlike a pid, the same on every run).  Two workers given the same
    ``name=`` are two processes: a name that does not end with that place gets it appended (``p:worker#2``).
    """
    place = ":".join(str(i) for i in identity)
    if place and not name.endswith(place):
        return f"{PROCESS_PREFIX}{name}#{place}"
    return f"{PROCESS_PREFIX}{name}"


def thread_id(name: str, process: str = "") -> str:
    """A thread under logical clocks: ``t:name`` in the main program, ``p:proc/t:name`` in a child ``p:proc``."""
    return f"{process}/{THREAD_PREFIX}{name}" if process.startswith(PROCESS_PREFIX) else f"{THREAD_PREFIX}{name}"


def pool_call_id(uid: str) -> str:
    """A pool call by its uid: ``task:1234.pool1.3``."""
    return f"{POOL_CALL_PREFIX}{uid}"


def process_of(cid: str) -> str:
    """The process part of an id: ``p:proc`` for ``p:proc/t:name``, the id itself for any other."""
    return cid.split("/", maxsplit=1)[0]


def pool_call_of(cid: str) -> str | None:
    """The uid of a pool call's id (``None`` if ``cid`` is not one)."""
    return cid[len(POOL_CALL_PREFIX):] if cid.startswith(POOL_CALL_PREFIX) else None
