"""One ``Engine`` per concurrency model: what the harness calls, whichever model the exercise uses.

Why: the harness used to branch on which engine it had loaded (``if self.threads is not None``) and to hang
attributes on the probe for one engine to find another's.  Like coverage.py's ``Tracer`` protocol, each model
now has one class with the same few methods, chosen in one place (``engine_for``) from ``coursekit.models``;
the harness never asks which model it runs.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from coursekit._engine import events
from coursekit._engine.events import Wait
from coursekit._engine.probe import Probe
from coursekit.models import COROUTINES, PROCESSES, THREADS, ConcurrencyModel, model

if TYPE_CHECKING:  # the engines' own modules are imported when installed: a run loads only its model's
    from coursekit._engine.event_loop import AsyncModel
    from coursekit._engine.threads import ThreadsModel

OnReturn = Callable[[list[str], list[str]], None]
"""Called once when the entry point returns: ``(ids still pending, ids to leave out of what is alive)``."""


@dataclass(frozen=True)
class EngineSettings:
    """What an engine needs from the run's spec."""

    model: str
    tie: str = "fifo"
    """The run's schedule (``coursekit._engine.exploration.Schedule.spec``); a bare tie policy is schedule 0 or 1."""
    limit_s: float = 60.0
    """Virtual seconds a run may last (an endless sleeping loop stops there)."""
    stall_s: float = 5.0
    """Real seconds without progress that mean a busy loop (or, for processes, a deadlock)."""
    forks: bool = False
    """The harness runs each schedule in a forked copy (``Harness.call_each``): the engine starts no thread
    before ``reschedule``."""

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> EngineSettings:
        return cls(model=spec["model"], tie=spec.get("schedule") or spec.get("tie", "fifo"), limit_s=spec["limit_s"],
                   stall_s=spec["stall_s"], forks=bool(spec.get("schedules")))


class Engine(Protocol):
    """Virtual time for one concurrency model, installed in the harness's interpreter."""

    model: ClassVar[ConcurrencyModel]
    drops_result: ClassVar[bool]
    """Whether the harness lets go of the entry point's result (and collects garbage) before ``shutdown``:
    asyncio reports the coroutines that nothing awaited, which only the collector finds."""

    def install(self) -> None:
        """Patch this interpreter (before the student's module is imported)."""

    def reschedule(self, schedule: str) -> None:
        """In a forked copy of the harness: run under ``schedule`` (``Schedule.spec``), and start what the engine
        runs beside the program (its watchdog)."""

    def prepare(self, module: Any) -> None:
        """The student's module is imported and its entry point not yet called: record the run's schedule and,
        under an explored one, put preemption points in the student's code."""

    def run_main(self, fn: Callable[..., Any], args: list[Any], on_return: OnReturn) -> Any:
        """Call the entry point as this model calls it; ``on_return`` once it has returned."""

    def steps(self) -> int:
        """The preemption points passed so far (0 unless the schedule is an explored one)."""

    def alone(self) -> bool:
        """Whether nothing has run beside the main thread so far (no thread, no task): every schedule runs such a
        program the same way, so the other schedules need not run (``Harness.call_each``)."""

    def alive(self, exclude: Collection[str] = ()) -> list[str]:
        """The ids of the workers alive now (but ``exclude``)."""

    def waits(self, exclude: Collection[str] = ()) -> list[Wait]:
        """What each live worker (but ``exclude``) waits on."""

    def shutdown(self) -> None:
        """What the interpreter does at exit: wait for the workers it waits for, stop the others."""


class ThreadsEngine:
    """Threads on the virtual clock of one scheduler (``threads``); processes are refused."""

    model: ClassVar[ConcurrencyModel] = THREADS
    drops_result: ClassVar[bool] = False

    def __init__(self, probe: Probe, settings: EngineSettings, finish: Callable[[int], None]) -> None:
        self.probe, self.settings, self.finish = probe, settings, finish
        self._threads: ThreadsModel | None = None

    @property
    def threads(self) -> ThreadsModel:
        if self._threads is None:
            raise RuntimeError(f"the {self.model.name} engine is used before install()")
        return self._threads

    def install(self) -> None:
        from coursekit._engine import threads

        s = self.settings
        self._threads = threads.install(self.probe, tie=s.tie, limit_s=s.limit_s, stall_s=s.stall_s,
                                        finish=self.finish, watchdog=not s.forks)
        threads.forbid_processes(self.probe, self.model.name)

    def reschedule(self, schedule: str) -> None:
        from coursekit._engine import threads
        from coursekit._engine.exploration import Schedule

        self.threads.use(Schedule.parse(schedule))
        threads.start_watchdog(self.threads, self.settings.stall_s)

    def prepare(self, module: Any) -> None:
        from coursekit._engine import collector

        self.threads.instrument(module)
        self.threads.sched.collector = collector.install()  # never from the kit's own threads (see collector)

    def run_main(self, fn: Callable[..., Any], args: list[Any], on_return: OnReturn) -> Any:
        result = fn(*args)
        on_return([], [])
        return result

    def steps(self) -> int:
        return self._threads.sched.steps if self._threads is not None else 0

    def alone(self) -> bool:
        return self._threads is None or len(self._threads.sched.fibers) <= 1

    def alive(self, exclude: Collection[str] = ()) -> list[str]:
        ids = [t._ck_fiber.wid for t in self.threads.alive()]  # type: ignore[attr-defined]
        return [wid for wid in ids if wid not in exclude]

    def waits(self, exclude: Collection[str] = ()) -> list[Wait]:
        return [w for w in self.threads.waits() if w.get("id") not in exclude]

    def shutdown(self) -> None:
        threads = self.threads
        threads.report_unstarted()
        threads.run_atexit()  # as the interpreter does: executors stop their idle workers here
        threads.join_non_daemon()


class AsyncEngine(ThreadsEngine):
    """asyncio on the threads engine: the loop waits in the scheduler (``event_loop``)."""

    model: ClassVar[ConcurrencyModel] = COROUTINES
    drops_result: ClassVar[bool] = True

    def __init__(self, probe: Probe, settings: EngineSettings, finish: Callable[[int], None]) -> None:
        super().__init__(probe, settings, finish)
        self._loop: AsyncModel | None = None

    def install(self) -> None:
        from coursekit._engine import event_loop

        super().install()
        self._loop = event_loop.install(self.probe, self.threads)

    def alone(self) -> bool:
        # (asyncio.run's own clean-up tasks come one after another, after main's)
        return super().alone() and (self._loop is None or not self._loop.overlapped)

    def run_main(self, fn: Callable[..., Any], args: list[Any], on_return: OnReturn) -> Any:
        from coursekit._engine import event_loop

        if inspect.iscoroutinefunction(fn):
            assert self._loop is not None, "install() first"
            result = event_loop.run_main(self._loop, fn, args, on_return)
            self.probe.phase = "after"
            return result
        result = fn(*args)
        if inspect.isawaitable(result):
            import asyncio

            self.probe.problem(events.SYNC_MAIN, detail="main() returned an awaitable", where="")
            result = asyncio.run(result)  # type: ignore[arg-type]
        on_return([], [])
        return result


class ProcessesEngine:
    """Logical clocks across a process tree (``processes``), installed in every interpreter of the tree."""

    model: ClassVar[ConcurrencyModel] = PROCESSES
    drops_result: ClassVar[bool] = False

    def __init__(self, probe: Probe, settings: EngineSettings, finish: Callable[[int], None]) -> None:
        self.probe, self.settings, self.finish = probe, settings, finish

    def install(self) -> None:
        from coursekit._engine.processes import lifecycle

        lifecycle.install(self.probe, root=True, finish=self.finish, stall_s=self.settings.stall_s)
        if not self.settings.forks:  # (else each forked copy begins its own tree: ``reschedule``)
            lifecycle.begin_tree(self.probe, self._note(self.settings.tie))

    def reschedule(self, schedule: str) -> None:
        from coursekit._engine.processes import lifecycle

        kind = self._note(schedule)
        lifecycle.begin_tree(self.probe, kind)

    def _note(self, schedule: str) -> str:
        """Record the run's schedule in the trace; its tie policy for the arbiter (``fifo`` or ``rr``)."""
        from coursekit._engine.exploration import FIFO, ROUND_ROBIN, Schedule

        parsed = Schedule.parse(schedule)
        if parsed.kind not in (FIFO, ROUND_ROBIN):
            raise SystemExit(f"the {self.model.name} model runs first-come and round-robin schedules, not {schedule!r}")
        self.probe.emit(events.SCHEDULE, spec=parsed.spec())
        return parsed.kind

    def prepare(self, module: Any) -> None:
        pass  # nothing to instrument: the arbiter decides the order at queues, locks and shared objects

    def run_main(self, fn: Callable[..., Any], args: list[Any], on_return: OnReturn) -> Any:
        result = fn(*args)
        on_return([], [])
        return result

    def steps(self) -> int:
        return 0

    def alone(self) -> bool:
        from coursekit._engine.processes import lifecycle

        return lifecycle.alone()

    def alive(self, exclude: Collection[str] = ()) -> list[str]:
        from coursekit._engine.processes import lifecycle

        return [p for p in lifecycle.alive() if p not in exclude]

    def waits(self, exclude: Collection[str] = ()) -> list[Wait]:
        return []  # a child blocked in C cannot be asked; the judge reads what each child last did

    def shutdown(self) -> None:
        from coursekit._engine.processes import lifecycle

        lifecycle.shutdown(self.probe)


EngineClass = type[ThreadsEngine] | type[ProcessesEngine]
ENGINES: dict[str, EngineClass] = {
    THREADS.name: ThreadsEngine, COROUTINES.name: AsyncEngine, PROCESSES.name: ProcessesEngine,
}
"""The engine of each model, by model name."""


def engine_for(probe: Probe, settings: EngineSettings, finish: Callable[[int], None]) -> Engine:
    """The engine of ``settings.model`` (not yet installed); ``SystemExit`` naming an unknown model."""
    try:
        chosen = ENGINES[model(settings.model, "run spec").name]
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    return chosen(probe, settings, finish)
