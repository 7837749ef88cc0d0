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
  any process outside the run (the supervisor, the judge, init, ``kill(-1)``): only the root harness and its
  descendants may be signalled.

Code counts as the student's when the innermost frame that is neither the standard library nor the kit (each a
folder, compared by resolved parents) is not the grader's driver; code made by ``exec``/``compile`` counts as the
student's wherever it runs.  The hook is re-entered only when its own frame is on the stack (no flag to set).
Calls that raise no audit event (``os.mkfifo``, ``os.mknod``, ``_posixsubprocess.fork_exec``, ``os.pidfd_open``,
``signal.pidfd_send_signal``) are wrapped, and
reaching inside the kit's functions (``__defaults__``, ``__kwdefaults__``, ``__code__``) is refused.  At the end
of the run, ``final()`` also compares every function and class of the kit with a snapshot taken at install, so
that a monkeypatch of the kit (``Probe.emit = ...``) is found, and names a wrapped call found unwrapped.
Everything recorded goes to ``guard.jsonl`` through a descriptor opened at install; the judge zeroes an
exercise whose run recorded anything, or whose completed run has no final record.

Limits, honestly: this is a tripwire inside the attacker's own process, not a wall.  The trace and the guard's
record are descriptors of the student's own process: ``os.write`` to them raises no audit event, so a complete
fake run can be written there; the guard's own state is reachable through ``sys.modules`` and closures.  What
the trace claims is therefore checked against what an observer outside the process saw
(``coursekit/_judge/observe.py``, ``corroborate.py``: ``tests/bulk_class/forged/``), and the OS sandbox confines
the rest to its own run and its own score (README, "Tampering" and "Facts seen from outside the run").
"""

from __future__ import annotations

import builtins
import hashlib
import importlib
import json
import os
import re
import sys
import types
from collections.abc import Callable
from typing import Any

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
PATH_EVENTS = frozenset({
    "os.listdir", "os.scandir", "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown",
    "os.truncate", "os.link", "os.symlink", "os.utime", "shutil.rmtree", "shutil.move", "shutil.copyfile",
    "os.mkfifo", "os.mknod",  # raise no audit event: ``wrap_silent_calls`` checks them as if they did
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
INSIDES = frozenset({"__defaults__", "__kwdefaults__", "__code__"})  # of a kit function: its unwrapped originals
WATCHED = frozenset({"open", "import", "compile", "code.__new__", "os.kill", "os.killpg", "object.__getattr__"}
                    | PATH_EVENTS | set(FORBIDDEN))


_STDLIB, _TRUSTED, _OTHER = "stdlib", "trusted", "other"


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
        self.snapshot: dict[str, int] = {}
        self.kit_files: dict[str, bool] = {}
        self.file_kinds: dict[str, str] = {}
        """A code file's name -> whose it is (``_STDLIB``, ``_TRUSTED``, ``_OTHER``), resolved the first time.
        Why: the processes engine opens its board's files tens of thousands of times in a run, and each open
        resolved every frame's file again (an ``lstat`` per folder of each).  A name resolved once keeps its
        verdict: the student's code could point a name of its own somewhere else later, but it could as well
        have pointed it there at the first look, so that gives it nothing new."""
        self.recorded = 0
        self.pid = os.getpid()
        self.supervisor = int(cfg.get("supervisor") or os.getppid())  # the root harness's parent
        cfg["supervisor"] = self.supervisor
        self.root = int(cfg.get("root") or os.getpid())  # the root harness: the run is it and its descendants
        cfg["root"] = self.root
        self.session = os.getsid(0)  # the run's session (the supervisor starts the harness in a new one)

    def is_kit(self, filename: str) -> bool:
        known = self.kit_files.get(filename)
        if known is None:
            known = self.kit_files[filename] = self._inside(os.path.realpath(filename), (self.kit,))
        return known

    # -- whose code is this ---------------------------------------------------------------------------------
    def untrusted(self, frame: types.FrameType | None) -> str | None:
        """Where the student's code made the call (``file:line``), or ``None`` if the kit or the driver did.

        Standard library frames (files inside the standard library's folder, compared by resolved parents, not by
        a common prefix) and the import machinery are passed over: what decides is the code that called them.
        Code made by ``exec``/``eval``/``compile`` (``<string>`` and every other name that is not a file) is the
        student's, wherever it runs (a thread whose target is ``exec`` has only the kit and the standard library
        below it); the one exception is the bottom frame of a process, a spawned child's ``-c`` command."""
        kinds = self.file_kinds
        while frame is not None:
            name = frame.f_code.co_filename
            if name.startswith("<frozen"):
                frame = frame.f_back
                continue
            if not name.startswith("/"):
                if frame.f_back is None and name == "<string>":
                    return None  # ``python -c`` as multiprocessing starts a child: the process's own command
                return f"{name}:{frame.f_lineno}"
            kind = kinds.get(name)
            if kind is None:
                path = os.path.realpath(name)
                kind = kinds[name] = (_STDLIB if self._inside(path, (self.stdlib,))
                                      else _TRUSTED if self._inside(path, self.trusted) else _OTHER)
            if kind is _STDLIB:
                frame = frame.f_back
                continue
            if kind is _TRUSTED:
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

    # -- signals: only to the run's own processes ----------------------------------------------------------
    def in_run(self, pid: int) -> bool:
        """Whether process ``pid`` is the run's own: the root harness, one of its descendants (by their parents in
        ``/proc``), or a process of its session (an orphan of the run keeps it).  A process that does not exist
        counts as the run's (the kernel refuses the call anyway); init never does."""
        if pid <= 1 or pid == self.supervisor:  # the harness's parent: the supervisor, or the observer of the run
            return False  # (coursekit/_judge/observe.py), which is in the run's session
        for step in range(64):
            if pid == self.root:
                return True
            try:
                with open(f"/proc/{pid}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
                parent, session = int(fields[1]), int(fields[3])
            except (OSError, ValueError, IndexError):
                return step == 0 and not os.path.exists(f"/proc/{pid}")
            if step == 0 and session == self.session:
                return True
            if parent <= 1:
                return False
            pid = parent
        return False

    def signals_own_run(self, event: str, target: Any) -> bool:
        """Whether ``os.kill(target)`` / ``os.killpg(target)`` reaches only processes of the run: its own process
        group (0), a process of the run, or the group of one (a group's number is its leader's pid)."""
        if not isinstance(target, int) or target == -1:
            return False
        if target == 0:
            return True
        return self.in_run(abs(target) if event == "os.kill" else target)

    def refuse(self, kind: str, detail: str, where: str) -> None:
        self.record(kind, detail, where)
        raise PermissionError(f"blocked by the grader: your code {detail}")

    # -- the hook -------------------------------------------------------------------------------------------
    def make_hook(self) -> Callable[[str, tuple[Any, ...]], None]:
        """The audit hook, with what it needs captured at install.  It is re-entered (an event raised while it
        checks another) only when its own frame is on the thread's stack: that, not a flag the student's code
        could set, is what makes it pass an event over."""
        check, watched, insides, getframe = self._check, WATCHED, INSIDES, sys._getframe
        untrusted, on_paths = self.untrusted, PATH_EVENTS | {"open"}

        def hook(event: str, args: tuple[Any, ...]) -> None:
            if event not in watched:
                return
            if event == "object.__getattr__" and (len(args) < 2 or args[1] not in insides):
                return  # (``frame.f_code`` raises it too: this hook's own stack walk below must not recurse)
            try:
                frame: types.FrameType | None = getframe(1)
            except ValueError:  # raised by the interpreter itself, with no Python code running: not the student's
                return
            if event in on_paths:
                try:
                    if untrusted(frame) is None:
                        return  # the kit's own file work, let through by ``_check`` whatever the path: known
                        # here from the frames up to the kit's, without the walk below over the whole stack
                        # (each frame's ``f_code`` an audit event; a processes run opens its board thousands
                        # of times)
                except Exception:  # noqa: BLE001, S110 - as in ``check``: the walk below and ``check`` decide
                    pass
            while frame is not None:
                if frame.f_code is code:
                    return  # raised by the guard's own work
                frame = frame.f_back
            try:
                check(event, args)
            except PermissionError:
                raise
            except Exception:  # noqa: BLE001, S110 - a fault of the guard itself must never break an honest program
                pass

        code = hook.__code__
        return hook

    def _check(self, event: str, args: tuple[Any, ...]) -> None:
        if event in FORBIDDEN:
            where = self.untrusted(sys._getframe(2))
            if where is not None:
                self.refuse("forbidden", FORBIDDEN[event], where)
            return
        if event == "object.__getattr__":
            target, name = (args[0], args[1]) if len(args) > 1 else (None, None)
            if name in INSIDES and isinstance(target, types.FunctionType) and self.is_kit(
                    target.__code__.co_filename):
                where = self.untrusted(sys._getframe(2))
                if where is not None:
                    self.refuse("grader-internals", f"reached inside the grader's own functions ({name})", where)
            return
        if event in ("os.kill", "os.killpg"):
            target, sig = (args[0] if args else None), (args[1] if len(args) > 1 else None)
            if sig != 0 and not self.signals_own_run(event, target):
                where = self.untrusted(sys._getframe(2))
                if where is not None:
                    self.refuse("kill", f"tried to signal a process outside its own run ({event}({target}))", where)
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
        if isinstance(path, int) and not isinstance(path, bool) and path >= 0 and event in MUTATING:
            try:  # an operation on a descriptor (os.ftruncate raises os.truncate with it): on the file it names
                path = os.readlink(f"/proc/self/fd/{path}")
            except OSError:
                return
        if not isinstance(path, (str, bytes)):
            return
        where = self.untrusted(sys._getframe(2))
        if where is None:  # the kit's own call (its board, its trace): whatever the path, it is let through, so
            return  # the path is not resolved (that costs an ``lstat`` per folder, and a digest per folder)
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

    # -- calls that raise no audit event ------------------------------------------------------------------
    def wrap_silent_calls(self) -> None:
        """``os.mkfifo`` and ``os.mknod`` (a FIFO or a device where the grader reads) and
        ``_posixsubprocess.fork_exec`` (starting a program without ``subprocess.Popen``) raise no audit event:
        wrapped, in ``os`` and ``posix`` alike, and checked as the events they stand for.  The final record
        names any of them found unwrapped again (a reload of the module, say)."""
        guard = self
        wrapped: dict[tuple[str, str], Any] = {}

        def make_node(original: Callable[..., None], name: str) -> Callable[..., None]:
            def node(path: Any, *args: Any, **kwargs: Any) -> None:
                try:
                    guard._check(f"os.{name}", (os.fspath(path),))
                except PermissionError:
                    raise
                except Exception:  # noqa: BLE001, S110 - a fault of the guard never breaks an honest program
                    pass
                return original(path, *args, **kwargs)

            node.__name__ = node.__qualname__ = name
            return node

        for name in ("mkfifo", "mknod"):
            original = getattr(os, name, None)
            if original is not None:
                fn = make_node(original, name)
                for module in (os, sys.modules.get("posix")):
                    if module is not None and getattr(module, name, None) is original:
                        setattr(module, name, fn)
                        wrapped[(module.__name__, name)] = fn
        try:
            import _posixsubprocess
        except ImportError:
            _posixsubprocess = None  # type: ignore[assignment]
        if _posixsubprocess is not None:
            fork_exec = _posixsubprocess.fork_exec

            def checked_fork_exec(*args: Any, **kwargs: Any) -> Any:
                if kwargs or not _multiprocessing_child(args):
                    where = guard.untrusted(sys._getframe(1))
                    if where is not None:
                        guard.refuse("forbidden", "started another program", where)
                return fork_exec(*args, **kwargs)

            _posixsubprocess.fork_exec = checked_fork_exec
            wrapped[("_posixsubprocess", "fork_exec")] = checked_fork_exec
        self._wrap_pidfd(wrapped)
        self.silent_wrapped = wrapped

    def _wrap_pidfd(self, wrapped: dict[tuple[str, str], Any]) -> None:
        """``os.pidfd_open`` and ``signal.pidfd_send_signal`` raise no audit event, and a descriptor of a process
        is a way to signal it (or take its descriptors) that ``os.kill`` never sees: a descriptor of a process
        outside the run is refused, and so is a signal sent through a descriptor (a pidfd, or an open
        ``/proc/<pid>`` folder) that names one."""
        guard = self
        pidfd_open = getattr(os, "pidfd_open", None)
        if pidfd_open is not None:
            def checked_pidfd_open(pid: int, *args: Any, **kwargs: Any) -> int:
                if not (isinstance(pid, int) and guard.in_run(pid)):
                    where = guard.untrusted(sys._getframe(1))
                    if where is not None:
                        guard.refuse("kill", f"took a handle on a process outside its own run (pidfd_open({pid}))",
                                     where)
                return int(pidfd_open(pid, *args, **kwargs))

            checked_pidfd_open.__name__ = checked_pidfd_open.__qualname__ = "pidfd_open"
            for module in (os, sys.modules.get("posix")):
                if module is not None and getattr(module, "pidfd_open", None) is pidfd_open:
                    setattr(module, "pidfd_open", checked_pidfd_open)  # noqa: B010 - (mypy: not on every OS)
                    wrapped[(module.__name__, "pidfd_open")] = checked_pidfd_open
        import signal

        send = getattr(signal, "pidfd_send_signal", None)
        if send is not None:
            def checked_send(fd: int, sig: int, *args: Any, **kwargs: Any) -> None:
                pid = _pid_of_descriptor(fd)
                if sig != 0 and pid is not None and not guard.in_run(pid):
                    where = guard.untrusted(sys._getframe(1))
                    if where is not None:
                        guard.refuse("kill", f"tried to signal a process outside its own run "
                                             f"(pidfd_send_signal to {pid})", where)
                send(fd, sig, *args, **kwargs)

            checked_send.__name__ = checked_send.__qualname__ = "pidfd_send_signal"
            for module in (signal, sys.modules.get("_signal")):
                if module is not None and getattr(module, "pidfd_send_signal", None) is send:
                    setattr(module, "pidfd_send_signal", checked_send)  # noqa: B010 - (mypy: not on every OS)
                    wrapped[(module.__name__, "pidfd_send_signal")] = checked_send

    def unwrapped(self) -> list[str]:
        """The silent calls no longer wrapped where the guard wrapped them (a reload, a new module object)."""
        return [f"{module}.{name}" for (module, name), fn in getattr(self, "silent_wrapped", {}).items()
                if getattr(sys.modules.get(module), name, fn) is not fn]

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
        changed += self.unwrapped()
        for name in changed[:20]:
            self.record("monkeypatch", f"changed the grader's {name}", "")
        data = json.dumps({"final": True, "pid": os.getpid(), "changed": len(changed)})
        try:
            self.write(self.fd, (data + "\n").encode())
        except OSError:
            pass


_SPAWN_COMMAND = re.compile(r"from multiprocessing\.(spawn|forkserver|resource_tracker) import (spawn_main|main);"
                            r" ?(spawn_main|main)\([^();@\\\n]*\)")  # literal arguments only: nothing is called


def _multiprocessing_child(args: tuple[Any, ...]) -> bool:
    """Whether ``fork_exec(*args)`` starts this interpreter as ``multiprocessing`` does (a ``spawn`` or
    ``forkserver`` child, the resource tracker): the same executable, the inherited environment, the library's
    own ``-c`` command, and no flag that would keep the guard out of the child (``-I``, ``-S``, ``-E``)."""
    if len(args) < 6 or not isinstance(args[0], (list, tuple)) or not isinstance(args[1], (list, tuple)):
        return False
    argv, exes, env = args[0], args[1], args[5]
    words = [os.fsdecode(a) if isinstance(a, (str, bytes)) else "" for a in argv]
    if env is not None or len(exes) != 1 or not isinstance(exes[0], (str, bytes)):
        return False
    if os.path.realpath(os.fsdecode(exes[0])) != os.path.realpath(sys.executable):
        return False
    if "-c" not in words[1:]:
        return False
    at = words.index("-c", 1)
    if at + 1 >= len(words) or not _SPAWN_COMMAND.fullmatch(words[at + 1]):
        return False
    if words[at + 2:] not in ([], ["--multiprocessing-fork"]):
        return False
    return not any(w.startswith("-") and not w.startswith("--") and any(f in w for f in "ISE") for w in words[1:at])


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


def _pid_of_descriptor(fd: Any) -> int | None:
    """The process a descriptor names: a pidfd (its ``Pid:`` in fdinfo) or an open ``/proc/<pid>`` folder."""
    if not isinstance(fd, int):
        return None
    try:
        with open(f"/proc/self/fdinfo/{fd}", "rb") as f:
            for line in f:
                if line.startswith(b"Pid:"):
                    return int(line.split()[1])
        target = os.readlink(f"/proc/self/fd/{fd}")
    except (OSError, ValueError, IndexError):
        return None
    match = re.fullmatch(r"/proc/(\d+)", target)
    return int(match.group(1)) if match else None


def install(cfg: dict[str, Any]) -> _Guard:
    """Install the guard in this interpreter (once), and pass its settings on to child interpreters."""
    global _guard
    if _guard is None:
        _guard = _Guard(cfg)
        _guard.wrap_emitters()
        _guard.snapshot = _snapshot()
        _guard.wrap_imports()
        _guard.wrap_silent_calls()
        os.environ["COURSEKIT_GUARD"] = json.dumps(cfg)
        sys.addaudithook(_guard.make_hook())
    return _guard


def install_from_environment() -> None:
    """Entry point for a spawned child interpreter (see ``boot/sitecustomize.py``)."""
    raw = os.environ.get("COURSEKIT_GUARD")
    if raw:
        install(json.loads(raw))


def final() -> None:
    """The integrity check at the end of a run, in whichever process the harness ends it: the harness itself,
    or each forked copy of it that runs one schedule (``Harness.call_each``), where the student's code ran."""
    if _guard is not None:
        _guard.final()
