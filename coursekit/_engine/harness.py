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

from coursekit._engine import guard
from coursekit._engine.probe import Probe
from coursekit._engine.trace import TraceWriter


class Harness:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.writer = TraceWriter(spec["trace"], max_events=spec.get("max_events", 20_000))
        self.probe = Probe(self.writer, [spec["module"]])
        self.writer.on_flood = self._flood
        import _thread

        self._finish_lock = _thread.allocate_lock()
        self.threads: Any = None
        self.asyncio: Any = None

    # -- ending a run ---------------------------------------------------------------------------------
    def finish(self, code: int) -> NoReturn:
        """End the run now, from any thread: record the end, flush what was printed, exit without cleanup."""
        if not self._finish_lock.acquire(blocking=False):
            while True:  # another thread is finishing: wait for it to exit the process
                import time as _t

                _t.sleep(3600)
        for stream in (sys.stdout, sys.stderr):
            drain = getattr(stream, "drain", None)
            if drain is not None:
                drain()
            try:
                stream.flush()
            except Exception:  # noqa: BLE001, S110 - a stream the student replaced must not stop the exit report
                pass
        self.writer.count = 0  # the final event is written even after a flood
        guard.final()
        self.probe.emit("exit", phase=self.probe.phase)
        os._exit(code)

    def _flood(self) -> None:
        self.writer.count = 0
        self.probe.problem("flood", detail=str(self.writer.max_events), where="")
        self.finish(0)

    # -- the run --------------------------------------------------------------------------------------------
    def instrument(self) -> None:
        spec, probe = self.spec, self.probe
        model = spec["model"]
        if model in ("threads", "coroutines"):
            from coursekit._engine import threads

            self.threads = threads.install(
                probe, tie=spec.get("tie", "fifo"), limit_s=spec["limit_s"], stall_s=spec["stall_s"],
                finish=self.finish,
            )
            threads.forbid_processes(probe, model)
            if model == "coroutines":
                from coursekit._engine import event_loop

                self.asyncio = event_loop.install(probe, self.threads)
                probe_waits = self.asyncio.pending_waits
                self.probe.extra_waits = probe_waits  # type: ignore[attr-defined]
        elif model == "processes":
            from coursekit._engine.processes import lifecycle

            lifecycle.install(probe, root=True, finish=self.finish, stall_s=spec["stall_s"])
        else:
            raise SystemExit(f"unknown model {model!r}")
        probe.capture_output()

    def import_student(self) -> Any:
        spec, probe = self.spec, self.probe
        path = Path(spec["module"])
        sys.path.insert(0, str(path.parent))
        probe.phase = "import"
        probe.emit("phase", name="import")
        try:
            source = path.read_bytes()
            compile(source, str(path), "exec")
        except SyntaxError as exc:
            probe.emit("error", kind="syntax", msg=exc.msg, line=exc.lineno, text=(exc.text or "").rstrip(),
                       where=f"{path.name}:{exc.lineno}")
            self.finish(0)
        except (OSError, ValueError) as exc:
            probe.emit("error", kind="unreadable", msg=str(exc), where=path.name)
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
            fn, args = self._driver(spec["driver"]), [module]
        elif not callable(fn):
            probe.emit("error", kind="missing", msg=f"{spec['call']}() is not defined", where=Path(spec["module"]).name)
            self.finish(0)
        probe.phase = "main"
        is_async = inspect.iscoroutinefunction(fn)
        probe.emit("phase", name="main", is_async=is_async, driver=bool(spec.get("driver")))
        result: Any = None
        pending: list[str] = []
        try:
            if is_async and self.asyncio is not None:
                from coursekit._engine import event_loop

                def on_return(p: list[str], executor: list[str]) -> None:
                    pending.extend(p)
                    self._returned(pending, exclude=executor)

                result = event_loop.run_main(self.asyncio, fn, args, on_return)
                probe.phase = "after"
            else:
                result = fn(*args)
                if inspect.isawaitable(result) and self.asyncio is not None:
                    import asyncio

                    probe.problem("sync-main", detail="main() returned an awaitable", where="")
                    result = asyncio.run(result)  # type: ignore[arg-type]
                self._returned([])
        except BaseException as exc:  # noqa: BLE001 - a crash (or sys.exit) in main is a finding
            probe.crash(exc)
            if probe.phase == "main":
                self._returned([])
        probe.emit("phase", name="done", result=repr(result)[:300])
        if self.asyncio is not None:  # coroutines only reachable from the result: report the never-awaited ones
            import gc

            result = None
            gc.collect()
        self.shutdown()

    def _driver(self, where: list[str]) -> Any:
        path, name = where
        module_spec = importlib.util.spec_from_file_location("coursekit_grader_driver", path)
        assert module_spec is not None and module_spec.loader is not None
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        return getattr(module, name)

    def _returned(self, pending: list[str], exclude: list[str] | None = None) -> None:
        waits: list[dict[str, Any]] = []
        if self.threads is not None:
            alive = [t._ck_fiber.wid for t in self.threads.alive() if t._ck_fiber.wid not in (exclude or ())]
            waits = [w for w in self.threads.waits() if w.get("id") not in (exclude or ())]
        else:
            from coursekit._engine.processes import lifecycle

            alive = lifecycle.alive()
        self.probe.emit("phase", name="return", alive=alive + pending, waits=waits)
        self.probe.phase = "after"

    def shutdown(self) -> None:
        """What the interpreter does at exit: wait for non-daemon threads (daemon ones are dropped)."""
        self.probe.phase = "shutdown"
        if self.threads is not None:
            self.threads.report_unstarted()
            self.threads.run_atexit()  # as the interpreter does: executors stop their idle workers here
            for thread in self.threads.alive():
                if not thread.daemon:
                    thread.join()
        else:
            from coursekit._engine.processes import lifecycle

            lifecycle.shutdown(self.probe)
        self.finish(0)


def main(argv: list[str]) -> None:
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    harness = Harness(spec)
    harness.instrument()
    if spec.get("guard"):  # bulk grading: keep the student's code away from the harness (see guard.py)
        harness.probe.emit("phase", name="guard")
        guard.install(spec["guard"])
    module = harness.import_student()
    harness.call(module)


if __name__ == "__main__":
    main(sys.argv)
