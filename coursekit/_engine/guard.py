"""Child side of isolation: an audit hook that keeps the student's code away from the grader's own machinery.

The operating system keeps a sandboxed run away from everything outside its box (``_judge/sandbox.py``).  What
it cannot do is keep the student's code away from the harness that shares its interpreter and writes its trace.
This guard narrows that gap.  Installed (``sys.addaudithook``; it cannot be removed) after the harness is set
up and before the student's module is imported, it *blocks and records* what student code has no business
doing in an exercise:

* touching the run's own files: the trace directory, the guard's record, the spec, the grader copy (any
  access) and the kit (writes); writing anywhere but the run's box and ``/dev/shm``;
* importing ``coursekit`` (the builtin ``__import__`` and ``importlib.import_module`` are wrapped, because an
  already imported module does not raise an ``import`` audit event);
* compiling code or building code objects that claim to be kit files; walking the object graph (``gc``);
  looking up C symbols (``ctypes``); installing trace/profile/audit hooks; starting other programs; signalling
  the supervisor, init or every process (``kill(-1)``).

Code counts as the student's when the innermost frame that is neither the standard library nor the kit is
not the grader's driver.  At the end of the run, ``final()`` also compares every function and class of the
kit with a snapshot taken at install, so that a monkeypatch of the kit (``Probe.emit = ...``) is found.
Everything recorded goes to ``guard.jsonl`` through a descriptor opened at install; the judge zeroes an
exercise whose run recorded anything, or whose completed run has no final record.

Limits, honestly: this is a tripwire inside the attacker's own process, not a wall.  Code that reaches kit
objects without importing (``sys.stdout._probe``, ``sys.modules``), or that writes to inherited descriptors
with ``os.write``, is not seen here; the OS sandbox still confines it to its own run and its own score.
"""

from __future__ import annotations

import builtins
import hashlib
import importlib
import json
import os
import sys
import threading
import types
from collections.abc import Callable
from typing import Any

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
PATH_EVENTS = frozenset({
    "os.listdir", "os.scandir", "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown",
    "os.truncate", "os.link", "os.symlink", "os.utime", "shutil.rmtree", "shutil.move", "shutil.copyfile",
})
MUTATING = PATH_EVENTS - {"os.listdir", "os.scandir"}
FORBIDDEN = {
    "gc.get_objects": "walked the interpreter's objects (gc.get_objects)",
    "gc.get_referrers": "walked the interpreter's objects (gc.get_referrers)",
    "gc.get_referents": "walked the interpreter's objects (gc.get_referents)",
    "ctypes.dlsym": "looked up C functions with ctypes",
    "sys.settrace": "installed a trace function",
    "sys.setprofile": "installed a profile function",
    "sys.addaudithook": "installed an audit hook",
    "os.system": "started a shell command",
    "os.exec": "replaced the process with another program",
    "os.posix_spawn": "started another program",
    "subprocess.Popen": "started another program",
}
WATCHED = frozenset({"open", "import", "compile", "code.__new__", "os.kill", "os.killpg"} | PATH_EVENTS
                    | set(FORBIDDEN))


class _Guard:
    def __init__(self, cfg: dict[str, Any]) -> None:
        self.cfg = cfg
        self.protect = tuple(os.path.realpath(p) for p in cfg.get("protect", ()))
        hidden = cfg.get("hidden") or {}  # host folders (course, submissions, results), named only by digests
        self.salt = str(hidden.get("salt", ""))
        self.hidden = frozenset(hidden.get("digests", ()))
        self.sha256 = hashlib.sha256  # captured, as ``write``: a later change to hashlib does not reach the guard
        self.kit = os.path.realpath(cfg["kit"])
        self.writable = (*(os.path.realpath(p) for p in cfg.get("writable", ())), "/dev/shm", "/dev/null")
        self.trusted = (*(os.path.realpath(p) for p in cfg.get("trusted", ())), self.kit)
        self.stdlib = os.path.realpath(os.path.dirname(os.__file__))
        self.fd = os.open(cfg["out"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.write = os.write  # captured: later changes to os do not reach the guard
        self.local = threading.local()
        self.snapshot: dict[str, int] = {}
        self.kit_files: dict[str, bool] = {}
        self.recorded = 0
        self.pid = os.getpid()
        self.supervisor = int(cfg.get("supervisor") or os.getppid())  # the root harness's parent
        cfg["supervisor"] = self.supervisor

    def is_kit(self, filename: str) -> bool:
        known = self.kit_files.get(filename)
        if known is None:
            known = self.kit_files[filename] = os.path.realpath(filename).startswith(self.kit + os.sep)
        return known

    # -- whose code is this ---------------------------------------------------------------------------------
    def untrusted(self, frame: types.FrameType | None) -> str | None:
        """Where the student's code made the call (``file:line``), or ``None`` if the kit or the driver did.

        Standard library frames and ``<string>`` frames (``python -c``, ``exec``) are passed over: what decides is
        the code that called them (for a spawned child's ``-c`` command, nobody: it is trusted)."""
        while frame is not None:
            name = frame.f_code.co_filename
            if name.startswith(("<frozen", "<string>", self.stdlib)):
                frame = frame.f_back
                continue
            path = os.path.realpath(name) if name.startswith("/") else name
            if path.startswith(self.trusted):
                return None
            return f"{os.path.basename(name)}:{frame.f_lineno}"
        return None

    def record(self, kind: str, detail: str, where: str) -> None:
        self.recorded += 1
        if self.recorded > 100:  # enough to judge; a loop of attempts must not fill the disk
            return
        data = json.dumps({"kind": kind, "detail": detail[:300], "where": where, "pid": os.getpid()})
        try:
            self.write(self.fd, (data + "\n").encode("utf-8", "replace"))
        except OSError:
            pass

    def refuse(self, kind: str, detail: str, where: str) -> None:
        self.record(kind, detail, where)
        raise PermissionError(f"blocked by the grader: your code {detail}")

    # -- the hook -------------------------------------------------------------------------------------------
    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if event not in WATCHED or getattr(self.local, "busy", False):
            return
        self.local.busy = True
        try:
            self._check(event, args)
        except PermissionError:
            raise
        except Exception:  # noqa: BLE001, S110 - a fault of the guard itself must never break an honest program
            pass
        finally:
            self.local.busy = False

    def _check(self, event: str, args: tuple[Any, ...]) -> None:
        if event in FORBIDDEN:
            where = self.untrusted(sys._getframe(2))
            if where is not None:
                self.refuse("forbidden", FORBIDDEN[event], where)
            return
        if event in ("os.kill", "os.killpg"):
            target = args[0] if args else None
            if target in (-1, 1, self.supervisor) or (event == "os.kill" and isinstance(target, int) and target < -1):
                where = self.untrusted(sys._getframe(2))
                if where is not None:
                    self.refuse("kill", f"tried to kill a process outside its own run ({event}({target}))", where)
            return
        if event == "import":
            if str(args[0]).split(".")[0] == "coursekit":
                where = self.untrusted(sys._getframe(2))
                if where is not None:
                    self.refuse("import", f"imported the grader's module {args[0]}", where)
            return
        if event in ("compile", "code.__new__"):
            name = args[1] if len(args) > 1 else None
            if isinstance(name, (str, bytes)) and self._inside(name, (self.kit,)):
                where = self.untrusted(sys._getframe(2))
                if where is not None:
                    self.refuse("disguise", "made code that claims to be part of the grader", where)
            return
        path = args[0] if args else None
        if not isinstance(path, (str, bytes)):
            return
        if event == "open":
            mode, flags = (args[1] if len(args) > 1 else None) or "", (args[2] if len(args) > 2 else 0) or 0
            writing = any(c in str(mode) for c in "wax+") or bool(flags & WRITE_FLAGS)
        else:
            writing = event in MUTATING
        real = os.path.realpath(os.fsdecode(path))
        touches = self._inside(real, self.protect) or self._hidden(real)
        outside = writing and not self._inside(real, self.writable)
        if not touches and not outside:
            return
        where = self.untrusted(sys._getframe(2))
        if where is None:
            return
        if touches:
            self.refuse("grader-files", f"tried to use the grader's own files ({event} {os.path.basename(real)})",
                        where)
        self.refuse("write-outside", f"tried to write outside its own folder ({event} {real})", where)

    def _hidden(self, path: str) -> bool:
        """Whether ``path`` is in a folder the guard was given only as ``sha256(salt + folder)``: the settings
        the student's process can read name no host folder (``coursekit/_judge/sandbox.py``)."""
        if not self.hidden:
            return False
        folder = path
        while True:
            if self.sha256((self.salt + folder).encode("utf-8", "surrogateescape")).hexdigest() in self.hidden:
                return True
            parent = os.path.dirname(folder)
            if parent == folder:
                return False
            folder = parent

    @staticmethod
    def _inside(path: str | bytes, roots: tuple[str, ...]) -> bool:
        p = os.fsdecode(path)
        return any(p == r or p.startswith(r.rstrip("/") + "/") for r in roots)

    # -- imports that do not raise the audit event ---------------------------------------------------------
    def wrap_imports(self) -> None:
        original_import = builtins.__import__
        original_module = importlib.import_module
        guard = self

        def __import__(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
            if level == 0 and name.split(".", maxsplit=1)[0] == "coursekit":
                where = guard.untrusted(sys._getframe(1))
                if where is not None:
                    guard.refuse("import", f"imported the grader's module {name}", where)
            return original_import(name, globals, locals, fromlist, level)

        def import_module(name: str, package: str | None = None) -> Any:
            if name.split(".", maxsplit=1)[0] == "coursekit":
                where = guard.untrusted(sys._getframe(1))
                if where is not None:
                    guard.refuse("import", f"imported the grader's module {name}", where)
            return original_module(name, package)

        builtins.__import__ = __import__
        importlib.import_module = import_module
        self.import_hooks = (__import__, import_module)

    # -- the trace may be written by the kit only -----------------------------------------------------------
    def wrap_emitters(self) -> None:
        """Only kit code may emit trace events: a student calling the probe it found (``sys.stdout._probe``)
        is recorded and ignored."""
        from coursekit._engine.probe import Probe
        from coursekit._engine.trace import TraceWriter

        guard = self
        for cls in (Probe, TraceWriter):
            original = cls.emit

            def emit(self: Any, event: str, /, _original: Callable[..., None] = original, **fields: Any) -> None:
                caller = sys._getframe(1)
                if not guard.is_kit(caller.f_code.co_filename):
                    guard.record("forge", f"wrote its own trace event {event!r}",
                                 f"{os.path.basename(caller.f_code.co_filename)}:{caller.f_lineno}")
                    return None
                return _original(self, event, **fields)

            emit.__doc__ = original.__doc__
            cls.emit = emit  # type: ignore[method-assign]

    # -- the end of the run ---------------------------------------------------------------------------------
    def final(self) -> None:
        """Record the integrity check: the kit's functions and classes are those of the snapshot."""
        now = _snapshot()  # modules loaded after install (in a child, say) are not compared
        changed = sorted(k for k, v in self.snapshot.items() if now.get(k) != v)
        if builtins.__import__ is not self.import_hooks[0]:
            changed.append("builtins.__import__")
        for name in changed[:20]:
            self.record("monkeypatch", f"changed the grader's {name}", "")
        data = json.dumps({"final": True, "pid": os.getpid(), "changed": len(changed)})
        try:
            self.write(self.fd, (data + "\n").encode())
        except OSError:
            pass


def _snapshot() -> dict[str, int]:
    """Identity of every function and class of the loaded kit modules, and of every method of their classes."""
    out: dict[str, int] = {}
    for mod_name, module in list(sys.modules.items()):
        if not (mod_name == "coursekit" or mod_name.startswith("coursekit.")) or module is None:
            continue
        for name, value in list(vars(module).items()):
            if isinstance(value, (types.FunctionType, type)):
                out[f"{mod_name}.{name}"] = id(value)
                if isinstance(value, type) and value.__module__ == mod_name:
                    for attr, member in list(vars(value).items()):
                        if isinstance(member, (types.FunctionType, staticmethod, classmethod, property)):
                            out[f"{mod_name}.{name}.{attr}"] = id(member)
    return out


_guard: _Guard | None = None


def install(cfg: dict[str, Any]) -> _Guard:
    """Install the guard in this interpreter (once), and pass its settings on to child interpreters."""
    global _guard
    if _guard is None:
        _guard = _Guard(cfg)
        _guard.wrap_emitters()
        _guard.snapshot = _snapshot()
        _guard.wrap_imports()
        os.environ["COURSEKIT_GUARD"] = json.dumps(cfg)
        sys.addaudithook(_guard.hook)
    return _guard


def install_from_environment() -> None:
    """Entry point for a spawned child interpreter (see ``boot/sitecustomize.py``)."""
    raw = os.environ.get("COURSEKIT_GUARD")
    if raw:
        install(json.loads(raw))


def final() -> None:
    if _guard is not None and _guard.pid == os.getpid():
        _guard.final()
