"""The three concurrency models the kit teaches, as data: every fact that depends on the model lives here.

Why one place: a model used to be a bare string (``"threads"``), and what it implied (the word for a worker, the
tie policies its runs are judged under, which engine runs it) was spread over ten modules, free to drift apart.
Code that needs a fact asks ``MODELS[name].fact``; code that branches on the model name is a smell.

This module is pure data and imports nothing of the kit, so the child side (``coursekit._engine``), the judge,
the registry and the views may all use it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConcurrencyModel:
    """One concurrency model: how its workers are called, and how its runs are made deterministic."""

    name: str
    """The model's name in ``course.toml`` and on the command line: ``threads``, ``processes``, ``coroutines``."""
    worker_kind: str
    """The kind of context a worker of this model is in a timeline: ``thread``, ``process`` or ``task``."""
    workers_word: str
    """What students call several such workers, in messages: "threads", "processes", "asyncio tasks"."""
    ties: tuple[str, ...]
    """The tie policies a run is judged under; a check passes only if it passes under each.  Processes have one
    (start order at equal moments); their round-robin schedule is the other order that matters to them."""
    explores: tuple[str, ...]
    """The kinds of explored schedules run beyond the tie policies (``coursekit._engine.exploration``): threads
    and the ``to_thread`` workers of asyncio every kind (the kit switches threads between steps); processes round
    robin only, at ties on logical time (the kit decides who takes the next item, lock or call on a shared object,
    not where a process is paused between them)."""
    folder: str
    """The course folder whose exercises use this model by default (``course new`` reads it)."""
    plural: str
    """The bare plural of ``worker_kind``, after "your" in messages: "threads", "processes", "tasks"."""
    start_with: str
    """What starts one worker of this model, in advice: "threading.Thread", "asyncio.create_task (or gather)"."""
    waited_for: str
    """How main waits for a worker, as a past participle in advice: "joined", "awaited"."""
    serial_threads: bool = True
    """The kit runs one thread of a process at a time (threads, and asyncio's ``to_thread`` workers), so a
    process's printed lines leave it in the order its trace holds them; the processes engine lets the threads
    of one process run at once between the turns it decides."""

    @property
    def worker_word(self) -> str:
        """One worker, in messages: "thread", "process", "asyncio task"."""
        return self.workers_word.removesuffix("es" if self.workers_word.endswith("sses") else "s")


THREADS = ConcurrencyModel("threads", worker_kind="thread", workers_word="threads", ties=("fifo", "lifo"),
                           explores=("rr", "random", "pct"), folder="threads", plural="threads",
                           start_with="threading.Thread", waited_for="joined")
PROCESSES = ConcurrencyModel("processes", worker_kind="process", workers_word="processes", ties=("fifo",),
                             explores=("rr",), folder="processes", plural="processes",
                             start_with="multiprocessing.Process", waited_for="joined", serial_threads=False)
COROUTINES = ConcurrencyModel("coroutines", worker_kind="task", workers_word="asyncio tasks", ties=("fifo", "lifo"),
                              explores=("rr", "random", "pct"), folder="coroutines", plural="tasks",
                              start_with="asyncio.create_task (or gather)", waited_for="awaited")

MODELS: dict[str, ConcurrencyModel] = {m.name: m for m in (THREADS, PROCESSES, COROUTINES)}
"""Every model by name, in course order."""

MODEL_NAMES: tuple[str, ...] = tuple(MODELS)

KIND_WORDS: dict[str, str] = {m.worker_kind: m.workers_word for m in MODELS.values()} | {"main": "main"}
"""The plural word for each kind of context in a timeline (``main`` stays ``main``)."""

WORKER_PLURALS: dict[str, str] = {m.worker_kind: m.plural for m in MODELS.values()}
"""The bare plural of each kind of worker ("tasks", not "asyncio tasks"), after "your" in messages."""


def model(name: str, where: str = "") -> ConcurrencyModel:
    """The model called ``name``; a ``ValueError`` naming the bad value (and ``where`` it came from) otherwise."""
    try:
        return MODELS[name]
    except KeyError:
        place = f"{where}: " if where else ""
        raise ValueError(f"{place}model must be one of {', '.join(MODEL_NAMES)}, not {name!r}") from None
