"""The child side of a run: instrument this interpreter, import the student's module, call its entry point.

Run as ``python -m coursekit._engine.harness SPEC.json`` by the supervisor, never inside the judging process.  Every
fact about the run leaves this process as a trace event; the verdict is reached elsewhere.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from coursekit._engine import events, guard, work
from coursekit._engine.engines import Engine, EngineSettings, engine_for
from coursekit._engine.output import drain_partial_lines
from coursekit._engine.probe import Probe
from coursekit._engine.trace import TraceWriter

RESULT_CHARS = 20_000
"""How much of the returned value's repr the trace keeps (a driver's results for every scenario fit)."""


def cpus() -> list[int]:
    """The CPUs this process may run on (empty where the system does not say)."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return []


def least_taken(allowed: list[int], taken: list[int], first: int) -> int:
    """The CPU of ``allowed`` that the fewest running copies (``taken``) use: copies side by side go to different
    CPUs.  Ties go to the CPU at index ``first`` and on from there; a harness passes its pid (modulo the count),
    so that the runs of bulk grading's workers, each with one copy at a time, do not all start on one CPU."""
    return min(allowed, key=lambda c: (taken.count(c), (allowed.index(c) - first) % len(allowed)))


def pin(cpu: int) -> None:
    """Keep this process, and every thread it starts from now on, on ``cpu``.

    Why: where the kit runs one thread of a process at a time (``ConcurrencyModel.serial_threads``), every
    handover wakes the next thread and parks the current one.  Woken on another CPU, the next thread waits for a
    cross-CPU wake-up while the CPU it left goes idle; on one CPU a handover is a plain context switch
    (``benchmarks/pinning.py`` measures it).  Which CPU a thread is on decides nothing on the virtual clock.  The
    processes engine lets a process's threads run side by side, and is never pinned."""
    try:
        os.sched_setaffinity(0, {cpu})
    except (AttributeError, OSError, ValueError):  # not Linux, or a CPU set that forbids it: run as before
        pass


class Harness:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.writer = TraceWriter(spec["trace"], max_events=spec.get("max_events", 20_000))
        self.probe = Probe(self.writer, [spec["module"]])
        self._driver_fn: Any = None
        self.writer.on_flood = self._flood
        import _thread

        self._finish_lock = _thread.allocate_lock()
        self.engine: Engine = engine_for(self.probe, EngineSettings.from_spec(spec), self.finish)

    # -- ending a run ---------------------------------------------------------------------------------
    def finish(self, code: int) -> NoReturn:
        """End the run now, from any thread: record the end, flush what was printed, exit without cleanup."""
        if not self._finish_lock.acquire(blocking=False):
            while True:  # another thread is finishing: wait for it to exit the process
                import time as _t

                _t.sleep(3600)
        drain_partial_lines()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001, S110 - a stream the student replaced must not stop the exit report
                pass
        self.writer.count = 0  # the final event is written even after a flood
        guard.final()
        self.probe.emit(events.EXIT, phase=self.probe.phase, steps=self.engine.steps(), alone=self.engine.alone())
        os._exit(code)

    def _flood(self) -> None:
        self.writer.count = 0
        self.probe.problem(events.FLOOD, detail=str(self.writer.max_events), where="")
        self.finish(0)

    # -- the run --------------------------------------------------------------------------------------------
    def instrument(self) -> None:
        self.engine.install()
        self.probe.capture_output()

    def import_student(self) -> Any:
        spec, probe = self.spec, self.probe
        path = Path(spec["module"])
        sys.path.insert(0, str(path.parent))
        probe.phase = "import"
        probe.emit(events.PHASE, name="import")
        try:
            source = path.read_bytes()
            compile(source, str(path), "exec")
        except SyntaxError as exc:
            probe.emit(events.ERROR, kind="syntax", msg=exc.msg, line=exc.lineno, text=(exc.text or "").rstrip(),
                       where=f"{path.name}:{exc.lineno}")
            self.finish(0)
        except (OSError, ValueError) as exc:
            probe.emit(events.ERROR, kind="unreadable", msg=str(exc), where=path.name)
            self.finish(0)
        module_spec = importlib.util.spec_from_file_location(spec["name"], path)
        assert module_spec is not None and module_spec.loader is not None
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[spec["name"]] = module
        try:
            module_spec.loader.exec_module(module)
        except BaseException as exc:  # noqa: BLE001 - SystemExit at import is a finding, not our exit
            probe.crash(exc, phase="import")
            self.finish(0)
        return module

    def call(self, module: Any) -> None:
        spec, probe = self.spec, self.probe
        fn = getattr(module, spec["call"], None)
        args = list(spec.get("args", []))
        if spec.get("driver"):  # the grader drives the module itself (several calls, checks between them)
            fn, args = self.driver(), [module]
        elif not callable(fn):
            probe.emit(events.ERROR, kind="missing", msg=f"{spec['call']}() is not defined",
                       where=Path(spec["module"]).name)
            self.finish(0)
        self.engine.prepare(module)  # after the driver is loaded: its code is the grader's, never preempted
        driver_globals = getattr(fn, "__globals__", None) if spec.get("driver") else None
        work.install(probe, spec.get("work", []), module, driver_globals)  # the calls of the named work
        if spec["model"] == "processes":  # and in every child interpreter (spawn and forkserver import afresh)
            work.carry(spec.get("work", []), spec["name"])
        probe.phase = "main"
        is_async = inspect.iscoroutinefunction(fn)
        probe.emit(events.PHASE, name="main", is_async=is_async, driver=bool(spec.get("driver")))
        result: Any = None
        try:
            result = self.engine.run_main(fn, args, self._returned)
        except BaseException as exc:  # noqa: BLE001 - a crash (or sys.exit) in main is a finding
            probe.crash(exc)
            if probe.phase == "main":
                self._returned([])
        # a driver returns one outcome per scenario (coursekit.scenarios): room for all of them, still bounded
        probe.emit(events.PHASE, name="done", result=repr(result)[:RESULT_CHARS])
        if self.engine.drops_result:  # coroutines only reachable from the result: report the never-awaited ones
            import gc

            result = None
            gc.collect()
        self.shutdown()

    def call_each(self, module: Any, schedules: list[str], *, jobs: int = 2) -> NoReturn:
        """Call the entry point once per schedule, each in a forked copy of this interpreter, ``jobs`` at a time.

        Why fork: the module was imported and the engine installed once, here; a copy costs a fork, not an
        interpreter start and every import again.  This process has no thread of its own yet (the engine starts
        its watchdog in each copy), so the fork copies nothing half-done.  Each copy writes its trace to
        ``s<N>/`` of the trace folder.  The first schedule and the round-robin one run first, side by side: a PCT
        schedule given 0 steps spreads its change points over as many preemption points as the round-robin run
        passed; when that run passed none where another thread could run, the random walks are left out (each
        would run exactly as first-come ties).

        Once a copy ran with nothing beside its main thread (no thread, no task: a stub, a program that never went
        concurrent), or was stopped for a busy loop, a stall or the time limit, no further schedule is started
        (each would run it the same way, or be stopped the same way at the same real cost), the copies after it
        in the order that are still running are killed, and the traces of every copy after the first such one
        are dropped: which of those had started, or how far they got, depended on real speed, and what counts
        must not."""
        import shutil
        import signal

        from coursekit._engine import real
        from coursekit._engine.exploration import DEFAULT_STEPS, PCT, RANDOM, ROUND_ROBIN, Schedule
        from coursekit._engine.trace import read_tail

        plan = [Schedule.parse(text) for text in schedules]
        # the first schedule (first-come ties) and round robin first, side by side; the rest in their order
        order = sorted(range(len(plan)), key=lambda i: i != 0 and plan[i].kind != ROUND_ROBIN)
        rr = next((i for i in order if plan[i].kind == ROUND_ROBIN), None)
        running: dict[int, int] = {}
        cpu_of: dict[int, int] = {}  # each running copy's CPU (``pin``; serial models only)
        allowed = cpus() if self.engine.model.serial_threads else []
        first = os.getpid() % len(allowed) if allowed else 0
        tails: dict[int, list[dict[str, Any]]] = {}
        stopped = False
        cut = len(order)  # copies after this position (in ``order``) are dropped: see the docstring
        position = {index: n for n, index in enumerate(order)}

        def reap() -> None:
            nonlocal stopped, cut
            pid, _ = os.wait()
            cpu_of.pop(pid, None)
            index = running.pop(pid, None)
            if index is None:
                return
            try:
                tails[index] = read_tail(os.path.join(self.writer.directory, f"s{index}", f"{pid}.jsonl"))
            except OSError:
                tails[index] = []
            if any((ev.get("e") == events.PROBLEM and ev.get("kind") in events.STOPPING)
                   or (ev.get("e") == events.EXIT and ev.get("alone") is True) for ev in tails[index]):
                stopped = True
                cut = min(cut, position[index])
                for other, later in list(running.items()):  # would be stopped the same way, or run the same way
                    if position[later] > cut:
                        os.kill(other, signal.SIGKILL)

        def rr_steps() -> int:
            """The points where a switch was possible in the round-robin run (0: none; -1: not known)."""
            while rr is not None and rr not in tails and rr in running.values():
                reap()
            ends = [ev for ev in tails.get(rr, []) if ev.get("e") == events.EXIT] if rr is not None else []
            steps = ends[-1].get("steps") if ends else -1
            return steps if isinstance(steps, int) else -1

        if self.spec.get("driver"):
            self.driver()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        for index in order:
            schedule = plan[index]
            if schedule.kind == PCT and schedule.steps == 0:
                steps = rr_steps()
                schedule = schedule.with_steps(steps if steps > 0 else DEFAULT_STEPS)
            if schedule.kind == RANDOM and rr is not None and rr_steps() == 0:
                continue  # no point where another thread could run: a walk would run exactly as first-come ties
            # (PCT still runs: its priorities also choose who goes on after a thread blocks)
            while len(running) >= jobs:
                reap()
            if stopped:
                break
            before = self.writer.state()
            cpu = least_taken(allowed, list(cpu_of.values()), first) if allowed else None
            pid = real.fork()
            if pid == 0:
                if cpu is not None:
                    pin(cpu)
                self.writer.fork_into(f"s{index}", before)
                self.engine.reschedule(schedule.spec())
                self.call(module)  # ends the copy (finish)
            running[pid] = index
            if cpu is not None:
                cpu_of[pid] = cpu
        while running:
            reap()
        for index in order[cut + 1:]:  # which of these ran depended on real speed: none counts
            shutil.rmtree(os.path.join(self.writer.directory, f"s{index}"), ignore_errors=True)
        os._exit(0)

    def driver(self) -> Any:
        """The grader's driver function, its module loaded on first use (after the student's module: what the
        student's import did cannot reach into a grader loaded later than it, which is the order a cold run has).

        ``call_each`` loads it before it forks, once for every schedule: a grader module is compiled from source
        (runs write no bytecode), and go_channel's took 9 ms in each copy."""
        if self._driver_fn is None:
            path, name = self.spec["driver"]
            module_spec = importlib.util.spec_from_file_location("coursekit_grader_driver", path)
            assert module_spec is not None and module_spec.loader is not None
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
            self._driver_fn = getattr(module, name)
        return self._driver_fn

    def _returned(self, pending: list[str], exclude: list[str] | None = None) -> None:
        """The entry point returned: record who is still alive (``pending`` tasks too) and what each waits on."""
        exclude = exclude or []
        alive, waits = self.engine.alive(exclude), self.engine.waits(exclude)
        self.probe.emit(events.PHASE, name="return", alive=alive + pending, waits=waits)
        self.probe.phase = "after"

    def shutdown(self) -> None:
        """What the interpreter does at exit: wait for non-daemon threads (daemon ones are dropped)."""
        self.probe.phase = "shutdown"
        self.engine.shutdown()
        self.finish(0)


def main(argv: list[str]) -> None:
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    harness = Harness(spec)
    harness.instrument()
    if spec.get("guard"):  # bulk grading: keep the student's code away from the harness (see guard.py)
        harness.probe.emit(events.PHASE, name="guard")
        guard.install(spec["guard"])
    module = harness.import_student()
    if spec.get("schedules"):
        harness.call_each(module, spec["schedules"])
    allowed = cpus() if harness.engine.model.serial_threads else []
    if allowed:
        pin(allowed[os.getpid() % len(allowed)])
    harness.call(module)


if __name__ == "__main__":
    main(sys.argv)
