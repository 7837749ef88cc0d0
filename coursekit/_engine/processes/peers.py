"""What the other processes of the tree have written so far: their end, how far they got, their shared events.

Why: logical time needs facts that only another process knows (when a child ended on its own clock, whether a
slow child is already past a moment), and processes that block in C cannot be asked.  Each writes its own trace
file (``coursekit._engine.trace``), so the answer is read from there, with the trace's own readers.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from typing import Any

from coursekit._engine import events, real
from coursekit._engine.processes.clock import probe
from coursekit._engine.trace import read_events, read_tail


def end_event(pid: int | None) -> dict[str, Any] | None:
    """The ``end`` event of a child process, from its own trace file (``None`` if it never said)."""
    if pid is None:
        return None
    try:
        said = [ev for ev in read_events(probe().writer.path_of(pid), events.END) if ev.get("pid") == pid]
    except OSError:
        return None
    return said[-1] if said else None


def end_time(pid: int | None) -> float | None:
    """The logical end of a child process (``None`` if it never said)."""
    event = end_event(pid)
    return None if event is None else float(event["t"])


def end_lamport(pid: int | None) -> int | None:
    """The Lamport counter of a child process's end (``None`` if it never said)."""
    event = end_event(pid)
    return None if event is None else event.get("lc")


def progress_of(pid: int | None) -> float:
    """The latest logical time a child has reported (how far it got; ``-1`` if nothing yet)."""
    if pid is None:
        return float("inf")
    try:
        tail = read_tail(probe().writer.path_of(pid))
    except OSError:
        return -1.0
    return float(tail[-1].get("t", -1.0)) if tail else -1.0


def wait_past(proc: Any, now: float, deadline: float, behind: Callable[[], bool] = lambda: False) -> None:
    """Wait (really) until child ``proc`` has ended, or got past logical time ``now`` (or stands ``behind`` the
    caller), or ``deadline`` passed."""
    while proc._popen is not None and proc._popen.poll() is None and real.monotonic() < deadline:
        if progress_of(proc.pid) > now or behind():
            return
        real.sleep(0.002)


def all_events(kind: str) -> list[dict[str, Any]]:
    """Every event of ``kind`` written so far by any process of the tree."""
    out = []
    directory = probe().writer.directory
    for entry in os.listdir(directory):
        if entry.endswith(".jsonl"):
            try:
                out.extend(read_events(os.path.join(directory, entry), kind))
            except OSError:
                continue
    return out


# -- where each thread of the tree stands (the arbiter's board, ``processes/arbiter.py``) -------------------------
# Each student thread of each process keeps one small status file in ``<trace>/arb/``: its context id, its
# logical clock, and what it does (``run``: running; ``ask``: waiting for its turn on a queue; ``get``: in a
# queue's real get, its turn taken; ``join``: joining another context; ``end``: ended).  The judge never reads
# them (it reads the ``<pid>.jsonl`` files only).
def board() -> str:
    return os.path.join(probe().writer.directory, "arb")


def status_path(ctx: str) -> str:
    return os.path.join(board(), ctx.encode("utf-8").hex() + ".st")


def write_status(ctx: str, fields: dict[str, Any]) -> None:
    """Put ``ctx``'s status on the board; an ended thread's goes to its ``.end`` file, off the board that waiting
    threads read again and again (only a join still asks for it, by name)."""
    path = status_path(ctx)
    final = path[: -len(".st")] + ".end" if fields.get("st") == "end" else path
    tmp = f"{path}.{os.getpid()}.{threading.get_native_id()}"
    try:
        real.replace_file(final, json.dumps({"ctx": ctx, **fields}).encode("utf-8"), tmp)
        if final != path:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
    except OSError:
        pass
    ring()


def ended_status(ctx: str) -> dict[str, Any] | None:
    """The status of ``ctx`` once it has ended (``None``: it has not, or never was on the board)."""
    try:
        status: dict[str, Any] = json.loads(real.read_file(status_path(ctx)[: -len(".st")] + ".end"))
        return status
    except (OSError, ValueError):
        return None


def ring(but: str | None = None) -> None:
    """Wake every thread waiting for its turn (its doorbell is a FIFO on the board): something changed."""
    try:
        names = os.listdir(board())
    except OSError:
        return
    for name in names:
        if name.endswith(".bell") and name != but:
            try:
                fd = os.open(os.path.join(board(), name), os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue  # nobody is listening any more
            try:
                os.write(fd, b"!")
            except OSError:
                pass  # already full: it will wake anyway
            finally:
                os.close(fd)


_bells: dict[tuple[int, int], tuple[str, int, int]] = {}


def doorbell() -> tuple[str, int]:
    """The calling thread's doorbell (its FIFO's name and a read end), made the first time."""
    key = (os.getpid(), threading.get_native_id())
    known = _bells.get(key)
    if known is None:
        name = f"{key[0]}.{key[1]}.bell"
        path = os.path.join(board(), name)
        try:
            os.mkfifo(path, 0o600)
        except FileExistsError:
            pass
        read_end = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        keep = os.open(path, os.O_WRONLY | os.O_NONBLOCK)  # (so that the read end never sees an end of file)
        known = _bells[key] = (name, read_end, keep)
    return known[0], known[1]


def statuses() -> list[dict[str, Any]]:
    """Every status on the board (a status being replaced is read whole: files are replaced, never rewritten)."""
    out: list[dict[str, Any]] = []
    try:
        names = os.listdir(board())
    except OSError:
        return out
    for name in names:
        if name.endswith(".st"):
            try:
                out.append(json.loads(real.read_file(os.path.join(board(), name))))
            except (OSError, ValueError):
                continue
    return out


def waiting_tids() -> set[int]:
    """The native ids of the threads waiting for their turn or for a timed wait to be decided (they poll the board,
    and are not progress)."""
    return {int(s["tid"]) for s in statuses()
            if (s.get("st") == "ask" or s.get("polls")) and isinstance(s.get("tid"), int)}


def pid_ended(pid: int) -> bool:
    """Whether process ``pid`` has really ended (gone, or a zombie)."""
    try:
        return real.read_file(f"/proc/{pid}/stat").rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except (OSError, IndexError):
        return True
