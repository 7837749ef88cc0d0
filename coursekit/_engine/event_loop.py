"""asyncio on the virtual clock (child side only).

The loop's clock is ``time.monotonic``, which ``threads`` already made virtual.  What remains is the wait
inside ``select``: instead of sleeping, the loop's thread blocks in the scheduler until its next timer is due
or another thread wakes it (``call_soon_threadsafe``).  With no other thread, that is a plain jump of the clock,
as in ``looptime``; with executor threads (``asyncio.to_thread``) it interleaves them exactly.

Every task is created by a task factory that tags it (``a0``, ``a1``...) so that what it prints is attributed
to it, and whose ``cancel()`` leaves a ``cancel`` event: who asked, when, and which student function was
interrupted (the innermost student frame of the task's await chain).  That is what makes a cancellation
comparable with the reference: ``asyncio.timeout`` cancels the task that runs the ``async with``, ``wait_for``
cancels an inner task, but in both the work interrupted is the same coroutine, at the same moment.
"""

from __future__ import annotations

import asyncio
import heapq
import inspect
import itertools
import selectors
import sys
import warnings
import weakref
from collections.abc import Callable
from typing import Any

from coursekit._engine import events, wallclock
from coursekit._engine.causal import AT_END, Board, Release
from coursekit._engine.events import Wait
from coursekit._engine.probe import Probe
from coursekit._engine.scheduler import Fiber, to_ns
from coursekit._engine.threads import ThreadsModel


class AsyncModel:
    def __init__(self, probe: Probe, threads: ThreadsModel) -> None:
        self.probe = probe
        self.threads = threads
        self.tasks: dict[asyncio.Task[Any], str] = {}
        self.created: weakref.WeakKeyDictionary[asyncio.Task[Any], int] = weakref.WeakKeyDictionary()
        self._ids = itertools.count()
        self.overlapped = False  # whether a task was ever made while another had not ended (``Engine.alone``)
        self.main_coro: Any = None  # the coroutine run_main runs: its task is main's (spawn ... main=True)
        self.edges = threads.edges
        self.cause: tuple[Release, ...] = ()
        """What made the loop callback now running happen (empty: a timer, that is time, not a cause)."""
        self.cancelling: asyncio.Task[Any] | None = None  # the task whose cancel() is running (see Task.cancel)
        self.failed: list[tuple[asyncio.Task[Any], str, BaseException, float]] = []  # tasks that ended in error

    def flush_failures(self) -> None:
        """Report, as crashes at the moment they ended, the tasks whose error nobody took (as asyncio's "Task
        exception was never retrieved"); once, at the end of the run or when it is found stuck."""
        failed, self.failed = self.failed, []
        for task, tid, exc, t in failed:
            if getattr(task, "_log_traceback", True):
                self.probe.crash(exc, id=tid, t=t)
                task._log_traceback = False  # told once: asyncio's own "never retrieved" would tell it again

    def context(self) -> str:
        try:
            task = asyncio.current_task()
        except RuntimeError:
            task = None
        if task is not None and task in self.tasks:
            return self.tasks[task]
        return self.threads.context()

    def register(self, task: asyncio.Task[Any], coro: Any, parent: str) -> str:
        n = next(self._ids)
        self.overlapped = self.overlapped or any(not other.done() for other in self.tasks)
        tid = events.task_id(n)
        self.tasks[task] = tid
        self.created[task] = n
        task._ck_id = tid  # type: ignore[attr-defined]  # still known after it ends (see exception_handler)
        name = getattr(coro, "__qualname__", None) or type(coro).__name__
        main: dict[str, bool] = {}
        if coro is not None and coro is self.main_coro:
            main, self.main_coro = {"main": True}, None
        self.probe.emit(events.SPAWN, id=tid, parent=parent, kind="task", target=name, name=task.get_name(),
                        phase=self.probe.phase, where=self.probe.where(sys._getframe(2)), **main)
        task.add_done_callback(self._ended)
        return tid

    def creation_order(self, task: asyncio.Task[Any]) -> int:
        """Where ``task`` stands among the run's tasks, by creation (tasks the kit did not create come last)."""
        return self.created.get(task, sys.maxsize)

    def _ended(self, task: asyncio.Task[Any]) -> None:
        tid = self.tasks.pop(task)  # a finished task is not kept alive by us (nor what it returned)
        if not task.cancelled():
            self.observe_end(task)  # the loop saw it end (what task.exception() here did before)
        if task.cancelled():
            how = "cancelled"
        elif (error := getattr(task, "_exception", None)) is not None:  # read without marking it as taken
            how = "error"
            # A crash only if the program never takes the error (await, result(), exception(), gather): a job's
            # error awaited and handled by its caller is no crash.  Told at the end of the run (flush_failures).
            self.failed.append((task, tid, error, round(self.probe.clock(), 9)))
        elif getattr(task, "_ck_uncancelled", False):
            how = "absorbed"  # cancelled, then uncancel()ed by asyncio.timeout or a TaskGroup, then went on
        else:
            how = "done"
        self.probe.emit(events.END, id=tid, how=how)

    def swallowed(self, task: asyncio.Task[Any]) -> None:
        """The cancellation of ``task`` was caught by the program and never reached the timeout that asked it."""
        tid = self.tasks.get(task)
        if tid is not None:
            self.probe.emit(events.SWALLOW, target=tid)

    def cancelled(self, task: asyncio.Task[Any], msg: Any, accepted: bool,
                  via: asyncio.Task[Any] | None = None) -> None:
        """``task.cancel()`` was called: record who asked, when, and the student work it interrupts.

        ``via``: the task whose own cancellation handed itself on to ``task`` (a task cancelled while it awaits
        another task cancels that one too).  Recorded, so that the judge counts one cancellation, not two: from
        3.12 ``wait_for(task)`` cancels the caller (then, through it, the task), before 3.12 the task itself."""
        tid = self.tasks.get(task)
        if tid is None or not accepted:
            return  # not ours, or already done (cancel() is then a no-op)
        handed = {"via": self.tasks[via]} if via is not None and via in self.tasks else {}
        student = [f for f in await_chain(task) if self.probe.is_student(f.f_code)]
        work = student[-1].f_code.co_name if student else ""
        try:  # asked by a running task (the program, or a caller), or by a loop callback (a timer: asyncio.timeout)
            asker = asyncio.current_task()
        except RuntimeError:
            asker = None
        self.probe.emit(events.CANCEL, target=tid, by=self.context(), work=work,
                        works=[f.f_code.co_name for f in student], at=self.probe.where(student[-1]) if student else "",
                        phase=self.probe.phase, where=self.probe.where(sys._getframe(2)),
                        from_task=asker is not None and asker in self.tasks, **handed)

    # -- synchronization edges: what wakes a task --------------------------------------------------------------
    def causes_here(self) -> tuple[Release, ...]:
        """Who is acting now: the running task, another thread (``call_soon_threadsafe``), or what caused the
        loop callback that is running."""
        try:
            task = asyncio.current_task()
        except RuntimeError:
            task = None
        if task is not None and task in self.tasks:
            return (self.edges.here(self.tasks[task]),)
        if asyncio._get_running_loop() is None:
            return (self.edges.here(),)
        return self.cause

    def carry(self, callback: Callable[..., Any], args: tuple[Any, ...]) -> Callable[..., Any]:
        """``callback``, scheduled now, as it must run: a task woken gets an edge from whoever woke it; any other
        callback runs with the causes of its scheduling (and of every earlier scheduling of the same callback:
        ``gather``'s one callback counts every child), so the task it wakes in turn is after all of them."""
        causes = self.causes_here()
        for arg in args:  # a done-callback of a task that had already ended: the end is its cause
            tid = getattr(arg, "_ck_id", None)
            if tid is not None and isinstance(arg, asyncio.Future) and arg.done():
                causes = (*causes, Release(tid, AT_END))
        owner = getattr(callback, "__self__", None)
        if isinstance(owner, asyncio.Task):
            tid = getattr(owner, "_ck_id", None)
            if tid is not None and not owner.done():
                for src in causes:
                    self.edges.acquire(src, tid, "wake", into=tid)
            return callback
        holder: Any = owner if owner is not None and hasattr(owner, "__dict__") else getattr(callback, "__func__",
                                                                                               callback)
        try:
            known: tuple[Release, ...] = getattr(holder, "_ck_causes", ())
            causes = tuple(dict.fromkeys((*known, *causes)))
            holder._ck_causes = causes
        except (AttributeError, TypeError):
            pass
        if not causes:
            return callback
        model = self

        def with_causes(*a: Any) -> Any:
            saved, model.cause = model.cause, causes
            try:
                return callback(*a)
            finally:
                model.cause = saved

        return with_causes

    def observe_end(self, task: Any) -> None:
        """The running context saw ``task`` finished (``await`` or ``result()`` of a done task)."""
        tid = getattr(task, "_ck_id", None)
        if tid is not None and task.done():
            self.edges.acquire(Release(tid, AT_END), tid, "end")

    def executor_threads(self) -> list[str]:
        """The default executor's worker threads (``to_thread``): ``asyncio.run`` shuts them down itself."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return []
        executor = getattr(loop, "_default_executor", None)
        threads = getattr(executor, "_threads", ()) or ()
        return [t._ck_fiber.wid for t in threads if getattr(t, "_ck_fiber", None) is not None]

    def pending_waits(self) -> list[Wait]:
        """For each pending task: the ``await`` it is suspended in, at its innermost student frame."""
        out = []
        for task, tid in self.tasks.items():
            if not task.done():
                student = [f for f in await_chain(task) if self.probe.is_student(f.f_code)]
                out.append(self.probe.wait_of(tid, "await", student[-1] if student else None))
        return out


def await_chain(task: asyncio.Task[Any], limit: int = 50) -> list[Any]:
    """The frames of a suspended task, outermost first, following what each coroutine awaits.

    ``Task.get_stack()`` gives only the task's own coroutine frame in 3.11, so a cancelled ``main`` that awaits
    ``job()`` directly (``async with asyncio.timeout``) would hide ``job``; this walks ``cr_await`` instead.
    """
    frames: list[Any] = []
    obj: Any = task.get_coro()
    while obj is not None and len(frames) < limit:
        frame = getattr(obj, "cr_frame", None) or getattr(obj, "gi_frame", None)
        if frame is None:
            break
        frames.append(frame)
        obj = getattr(obj, "cr_await", None) or getattr(obj, "gi_yieldfrom", None)
    return frames


class VirtualSelector(selectors.BaseSelector):
    def __init__(self, model: ThreadsModel) -> None:
        self._real = selectors.DefaultSelector()
        self._sched = model.sched
        self._waiting: Fiber | None = None

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = self._real.select(0)
        if ready or (timeout is not None and timeout <= 0):
            return ready
        sched = self._sched
        self._waiting = sched.current
        deadline = None if timeout is None else sched.now + to_ns(timeout)
        try:
            sched.block(deadline, "event loop")
        finally:
            self._waiting = None
        return self._real.select(0)

    def notify(self) -> None:
        if self._waiting is not None:
            self._sched.wake(self._waiting)

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._real.register(fileobj, events, data)

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        return self._real.unregister(fileobj)

    def modify(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._real.modify(fileobj, events, data)

    def get_map(self) -> Any:
        return self._real.get_map()

    def close(self) -> None:
        self._real.close()


class ScheduledTimer(asyncio.TimerHandle):
    """A timer that comes due after every timer scheduled before it for the same instant.

    Why: asyncio's timers compare by due time only, so timers due at one virtual instant came off the heap in
    heap order, which depends on how many timers there are.  For real, a timer scheduled later is due a little
    later (the clock moved on in between): scheduling order is the order a real run keeps.
    """

    __slots__ = ("_ck_seq",)
    _seqs = itertools.count()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ck_seq = next(ScheduledTimer._seqs)

    def _key(self) -> tuple[float, int]:
        return (self.when(), self._ck_seq)

    def __lt__(self, other: Any) -> bool:
        if isinstance(other, ScheduledTimer):
            return self._key() < other._key()
        return super().__lt__(other)

    def __gt__(self, other: Any) -> bool:
        if isinstance(other, ScheduledTimer):
            return self._key() > other._key()
        return super().__gt__(other)


class TasksInCreationOrder(set):  # type: ignore[type-arg]
    """The set ``asyncio.all_tasks()`` returns, iterated in the order the tasks were created.

    Why: a set of tasks iterates in the order of their hashes, that is of their memory addresses, which change
    with anything that allocates (the Python build, the kit's own code).  ``asyncio.run`` cancels the tasks left
    pending in that order, and their clean-up lines come out in it: without a fixed order the same program could
    print them one way on one machine and the other way on the next.
    """

    def __init__(self, tasks: set[asyncio.Task[Any]], order: Callable[[asyncio.Task[Any]], int]) -> None:
        super().__init__(tasks)
        self._order = order

    def __iter__(self) -> Any:
        return iter(sorted(set.__iter__(self), key=self._order))


def patch_all_tasks(model: AsyncModel) -> None:
    """``asyncio.all_tasks`` (and so ``asyncio.run``'s clean-up) in creation order, on every machine."""
    real_all_tasks = asyncio.tasks.all_tasks

    def all_tasks(loop: asyncio.AbstractEventLoop | None = None) -> set[asyncio.Task[Any]]:
        return TasksInCreationOrder(real_all_tasks(loop), model.creation_order)

    asyncio.tasks.all_tasks = asyncio.all_tasks = all_tasks


def stable_key(obj: Any, order: Callable[[asyncio.Task[Any]], int]) -> tuple[Any, ...]:
    """Where ``obj`` (a task, future or coroutine of an unordered set) stands, the same on every machine.

    Tasks: by creation.  Coroutines: by where they were created (file, line, function of each creating frame),
    then by name, then by their arguments (numbers by value); futures and anything else after, by repr.
    """
    if isinstance(obj, asyncio.Task):
        return (0, order(obj))
    if asyncio.iscoroutine(obj):
        origin = getattr(obj, "cr_origin", None) or ()
        frame = getattr(obj, "cr_frame", None)
        code = getattr(obj, "cr_code", None)
        names = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount] if code is not None else ()
        values = frame.f_locals if frame is not None else {}
        args = tuple(_natural(values.get(n)) for n in names)
        return (1, tuple(origin), getattr(obj, "__qualname__", ""), args)
    return (2, repr(obj))


def _natural(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool | int | float):
        return (0, value)
    return (1, repr(value))


def patch_unordered_sets(model: AsyncModel) -> None:
    """``asyncio.as_completed`` and ``asyncio.wait`` over a set, in an order that holds on every machine.

    Why: ``as_completed`` wraps each coroutine of ``fs`` in a task in the order of ``set(fs)``, that is of the
    coroutines' addresses; tasks due at one instant then finish in that order.  ``wait`` returns its ``done`` and
    ``pending`` sets, iterated by address too.  Here a set's coroutines become tasks in ``stable_key`` order, and
    the sets ``wait`` returns iterate in creation order (as ``asyncio.all_tasks``).
    """
    real_as_completed, real_wait = asyncio.tasks.as_completed, asyncio.tasks.wait

    def in_order(fs: Any, wrap: bool) -> Any:
        if not isinstance(fs, set | frozenset):
            return fs  # a list or any sequence: the program's own order, which asyncio keeps
        ordered = sorted(fs, key=lambda f: stable_key(f, model.creation_order))
        return [asyncio.ensure_future(f) for f in ordered] if wrap else ordered  # wait() refuses coroutines itself

    if inspect.isgeneratorfunction(real_as_completed):  # up to 3.12: tasks are made at the first next()
        def as_completed(fs: Any, *args: Any, **kwargs: Any) -> Any:
            return (yield from real_as_completed(in_order(fs, True), *args, **kwargs))
    else:
        def as_completed(fs: Any, *args: Any, **kwargs: Any) -> Any:
            return real_as_completed(in_order(fs, True), *args, **kwargs)

    async def wait(fs: Any, *args: Any, **kwargs: Any) -> Any:
        done, pending = await real_wait(in_order(fs, False), *args, **kwargs)
        return TasksInCreationOrder(done, model.creation_order), TasksInCreationOrder(pending, model.creation_order)

    asyncio.tasks.as_completed = asyncio.as_completed = wallclock.stand_in(real_as_completed, as_completed)
    asyncio.tasks.wait = asyncio.wait = wallclock.stand_in(real_wait, wait)


def one_wait_for() -> None:
    """``asyncio.wait_for`` as from Python 3.12 on every supported version (3.11 included).

    Why: 3.12 reimplemented ``wait_for`` with ``asyncio.timeout``: the work runs in the caller's own task, which
    is cancelled at the limit.  Before, it ran in an inner task, cancelled and then waited for apart from the
    caller.  The two orders differ (same-task lines are ordered, lines of two tasks at one moment are not), so the
    reference's expectations, and with them the verdict on one program, depended on the Python that graded it.
    A program correct on one is correct on the other: only the kit's view of who ran what changes.
    """
    if sys.version_info >= (3, 12):
        return

    async def wait_for(fut: Any, timeout: float | None) -> Any:  # noqa: ASYNC109 - the stdlib signature
        if timeout is not None and timeout <= 0:  # as 3.12: no time at all, so cancel it now and wait for that
            fut = asyncio.ensure_future(fut)
            if fut.done():
                return fut.result()
            await asyncio.tasks._cancel_and_wait(fut, asyncio.get_running_loop())  # type: ignore[attr-defined]
            try:
                return fut.result()
            except asyncio.CancelledError as exc:
                raise TimeoutError from exc
        async with asyncio.timeout(timeout):
            return await fut

    wait_for.__doc__ = asyncio.wait_for.__doc__
    asyncio.tasks.wait_for = asyncio.wait_for = wait_for


def patch_primitives(model: AsyncModel) -> None:
    """asyncio's queue, lock, event, semaphore and task group hand over without waking anyone when nothing
    waits (a ``get`` of an item already there, an ``await`` of a task already done): such an acquire is after
    every release before it on the same object."""
    edges = model.edges

    def board(obj: Any) -> Board:
        found: Board | None = obj.__dict__.get("_ck_board")
        if found is None:
            found = obj.__dict__["_ck_board"] = Board()
        return found

    def releasing(orig: Callable[..., Any]) -> Callable[..., Any]:
        def release(self: Any, *args: Any, **kwargs: Any) -> Any:
            board(self).release(edges)
            return orig(self, *args, **kwargs)
        return release

    def acquiring(orig: Callable[..., Any], what: str) -> Callable[..., Any]:
        def acquire(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = orig(self, *args, **kwargs)
            board(self).acquire(edges, edges.key(self, what), what)
            return result
        return acquire

    def acquiring_async(orig: Callable[..., Any], what: str) -> Callable[..., Any]:
        async def acquire(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = await orig(self, *args, **kwargs)
            board(self).acquire(edges, edges.key(self, what), what)
            return result
        return acquire

    Q = asyncio.Queue
    Q.put_nowait = releasing(Q.put_nowait)  # type: ignore[method-assign]
    Q.get_nowait = acquiring(Q.get_nowait, "queue")  # type: ignore[method-assign]
    # task_done() -> join() returning: join() is after every task_done() before it, not only the last one (whose
    # Event.set wakes it) and also when it does not wait at all; a board of its own, so that a get() gains no
    # edge from another consumer's task_done().
    orig_task_done, orig_join = Q.task_done, Q.join

    def join_board(queue: Any) -> Board:
        found: Board | None = queue.__dict__.get("_ck_join_board")
        if found is None:
            found = queue.__dict__["_ck_join_board"] = Board()
        return found

    def task_done(self: Any) -> None:
        orig_task_done(self)  # first: a task_done() that raises (called too often) releases nothing
        join_board(self).release(edges)

    async def join(self: Any) -> None:
        await orig_join(self)
        join_board(self).acquire(edges, edges.key(self, "queue"), "join")

    Q.task_done = task_done  # type: ignore[method-assign]
    Q.join = join  # type: ignore[method-assign]
    for cls, what in ((asyncio.Lock, "lock"), (asyncio.Semaphore, "semaphore")):
        cls.release = releasing(cls.release)  # type: ignore[method-assign]
        cls.acquire = acquiring_async(cls.acquire, what)  # type: ignore[method-assign]
    asyncio.Event.set = releasing(asyncio.Event.set)  # type: ignore[method-assign]
    asyncio.Event.wait = acquiring_async(asyncio.Event.wait, "event")  # type: ignore[method-assign]
    TG = getattr(asyncio, "TaskGroup", None)
    if TG is not None:
        orig_create, orig_exit = TG.create_task, TG.__aexit__

        def create_task(self: Any, *args: Any, **kwargs: Any) -> Any:
            task = orig_create(self, *args, **kwargs)
            self.__dict__.setdefault("_ck_all", []).append(task)
            return task

        async def aexit(self: Any, *args: Any) -> Any:
            try:
                return await orig_exit(self, *args)
            finally:
                for task in self.__dict__.get("_ck_all", ()):
                    model.observe_end(task)

        TG.create_task = create_task
        TG.__aexit__ = aexit


def install(probe: Probe, threads: ThreadsModel) -> AsyncModel:
    model = AsyncModel(probe, threads)
    probe.context = model.context
    def stuck_waits() -> list[Wait]:
        model.flush_failures()  # a run found stuck ends now: the errors nobody took are crashes
        return model.pending_waits()

    threads.extra_waits = stuck_waits

    class Task(asyncio.Task):  # type: ignore[type-arg]
        def __await__(self) -> Any:
            if self.done():
                model.observe_end(self)
            return (yield from super().__await__())

        def result(self) -> Any:
            model.observe_end(self)
            return super().result()

        def exception(self) -> Any:
            model.observe_end(self)
            return super().exception()

        def cancel(self, msg: Any = None) -> bool:
            via, model.cancelling = model.cancelling, self  # a cancel() inside this one was handed on by it
            try:
                accepted = super().cancel(msg)
            finally:
                model.cancelling = via
            model.cancelled(self, msg, accepted, via)
            return accepted

        def uncancel(self) -> int:
            # asyncio.timeout and TaskGroup take a cancellation back once they have turned it into their own
            # error: the task then goes on by design, which must not look like a swallowed CancelledError.
            # Unless the CancelledError never reached the timeout: asyncio.timeout's ``__aexit__`` (and, from
            # 3.12 on, wait_for's, which runs the work in the caller's own task) takes the cancellation back with
            # ``exc_type`` None when the work caught the CancelledError and returned as if nothing happened.
            caller = sys._getframe(1)
            if caller.f_code.co_name == "__aexit__" and caller.f_locals.get("exc_type", ...) is None:
                model.swallowed(self)
            self._ck_uncancelled = True
            return super().uncancel()

    def task_factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
        parent = model.context()
        task = Task(coro, loop=loop, **kwargs)
        model.register(task, coro, parent)
        return task

    def exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, asyncio.CancelledError):
            return  # a future cancelled by asyncio.run's clean-up: pending tasks are reported, not this echo
        if exc is not None and getattr(context.get("task"), "_ck_id", None) is None:  # ours: reported at its end
            probe.crash(exc)
        elif exc is None:
            probe.problem(events.LOOP_ERROR, detail=str(context.get("message", ""))[:300], where="")

    class VirtualLoop(asyncio.SelectorEventLoop):
        def __init__(self) -> None:
            super().__init__(VirtualSelector(threads))
            self.set_task_factory(task_factory)
            self.set_exception_handler(exception_handler)

        def _call_soon(self, callback: Any, args: Any, context: Any) -> Any:
            return super()._call_soon(model.carry(callback, args), args, context)  # type: ignore[misc]

        def call_at(self, when: float, callback: Any, *args: Any,  # type: ignore[override]
                    context: Any = None) -> asyncio.TimerHandle:
            """As ``BaseEventLoop.call_at``, with a timer that keeps scheduling order at a tie."""
            if when is None:
                raise TypeError("when cannot be None")
            self._check_closed()  # type: ignore[attr-defined]
            if self._debug:  # type: ignore[attr-defined]
                self._check_thread()  # type: ignore[attr-defined]
                self._check_callback(callback, "call_at")  # type: ignore[attr-defined]
            timer = ScheduledTimer(when, callback, args, self, context)
            if timer._source_traceback:  # type: ignore[attr-defined]
                del timer._source_traceback[-1]  # type: ignore[attr-defined]
            heapq.heappush(self._scheduled, timer)  # type: ignore[attr-defined]
            timer._scheduled = True  # type: ignore[attr-defined]
            return timer

        def _write_to_self(self) -> None:
            super()._write_to_self()  # type: ignore[misc]
            self._selector.notify()  # type: ignore[attr-defined]

    class Policy(asyncio.DefaultEventLoopPolicy):
        def new_event_loop(self) -> asyncio.AbstractEventLoop:
            return VirtualLoop()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        asyncio.set_event_loop_policy(Policy())
    patch_all_tasks(model)
    patch_unordered_sets(model)
    patch_primitives(model)
    one_wait_for()

    def on_sleep(secs: float) -> None:
        if asyncio._get_running_loop() is not None:
            probe.problem(events.BLOCKING_SLEEP, detail=f"{secs:g}", where=probe.where(sys._getframe(2)))

    threads.sleep_hooks.append(on_sleep)
    sys.set_coroutine_origin_tracking_depth(8)
    orig_showwarning = warnings.showwarning

    def showwarning(message: Any, category: Any, filename: str, lineno: int, file: Any = None,
                    line: Any = None) -> None:
        text = str(message)
        if "was never awaited" in text:
            where = ""
            for raw in text.splitlines():
                part = raw.strip()
                if part.startswith("File ") and any(f in part for f in probe.student_files):
                    bits = part.split('"')
                    rest = bits[2] if len(bits) > 2 else ""
                    where = f"{bits[1].rsplit('/', 1)[-1]}:{rest.split('line ')[-1].split(',')[0]}"
                    if ", in " in rest:
                        where += " in " + rest.split(", in ")[-1]
            probe.problem(events.NEVER_AWAITED, detail=text.splitlines()[0], where=where)
        orig_showwarning(message, category, filename, lineno, file, line)

    warnings.showwarning = showwarning
    warnings.simplefilter("always", RuntimeWarning)
    return model


def run_main(model: AsyncModel, fn: Callable[..., Any], args: list[Any],
             on_return: Callable[[list[str], list[str]], None]) -> Any:
    """Run an ``async def main`` as ``asyncio.run`` would, noting what is still pending when it returns.

    ``on_return(pending_tasks, executor_threads)``: the second list names the default executor's threads,
    which are not left running by the student (``asyncio.run`` shuts that executor down); a blocking call
    still running in one of them shows as its pending ``to_thread`` task instead.
    """

    async def wrapper() -> Any:
        me = asyncio.current_task()
        result = await fn(*args)
        pending = [model.tasks[t] for t in asyncio.all_tasks() if t is not me and t in model.tasks]
        on_return(pending, model.executor_threads())
        return result

    model.main_coro = wrapper()
    try:
        return asyncio.run(model.main_coro)
    finally:
        model.flush_failures()
