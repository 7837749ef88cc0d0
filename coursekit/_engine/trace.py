"""The trace: events a harness writes about a student's program, one JSON object per line.

Child side: ``TraceWriter`` appends to ``<dir>/<pid>.jsonl`` with one ``os.write`` per event, so that output from
a process that dies suddenly is never half-buffered and forked children never share a file offset.
Readers, for both sides: ``read_trace`` (the judge: every file of a run), ``read_events`` and ``read_tail`` (the
child side: what another process of the tree has written so far).  Event kinds are defined in
``coursekit._engine.events``; the writer refuses any other.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coursekit._engine import real
from coursekit._engine.events import check_kind

_encode = json.JSONEncoder(default=repr, ensure_ascii=False).encode
"""``json.dumps(..., default=repr, ensure_ascii=False)`` without a new encoder for every event."""

#: Bumped whenever the meaning of an event changes; the judge refuses traces of another version.
TRACE_VERSION = 1


class TraceWriter:
    def __init__(self, directory: str, *, max_events: int = 20_000) -> None:
        self.directory = directory
        self.max_events = max_events
        self._pid = -1
        self._fd = -1
        self.count = 0
        """Events emitted by this process so far (written or not): the position of the next one in its file."""
        self.uncounted = 0
        """Of those, the ones that do not count toward ``max_events`` (synchronization edges)."""
        self.on_flood: Callable[[], None] | None = None  # called once when max_events is passed

    def path_of(self, pid: int) -> str:
        """The trace file of process ``pid`` (this run's)."""
        return os.path.join(self.directory, f"{pid}.jsonl")

    def _open(self) -> int:
        pid = os.getpid()
        if pid != self._pid:  # first use, or we are a forked child: never write into the parent's file
            self._pid = pid
            self.count = 0
            self.uncounted = 0
            self._fd = os.open(self.path_of(pid), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return self._fd

    def state(self) -> tuple[int, int, int]:
        """What ``fork_into`` needs from before a fork: this process's pid and its counts (taken in the parent)."""
        self._open()
        return self._pid, self.count, self.uncounted

    def fork_into(self, name: str, before: tuple[int, int, int]) -> None:
        """In a forked child that runs one schedule: write to ``<directory>/<name>/<pid>.jsonl`` from now on,
        starting with a copy of what the parent (``before``: its ``state()`` at the fork) wrote until then (the
        import), so that each schedule's trace is a whole run; the counts go on from the parent's, so an event's
        index in the new file is what it would have been.  Whatever the fork's own handlers made this process
        open in the parent's folder (a lock released at fork) is removed."""
        parent_pid, count, uncounted = before
        if self._pid == os.getpid() and self._fd >= 0:
            os.close(self._fd)
            try:
                os.unlink(self.path_of(self._pid))
            except OSError:
                pass
        source = self.path_of(parent_pid)
        self.directory = os.path.join(self.directory, name)
        os.mkdir(self.directory, 0o700)
        self._pid = os.getpid()
        self._fd = os.open(self.path_of(self._pid), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.count, self.uncounted = count, uncounted
        with open(source, "rb") as f:
            os.write(self._fd, f.read())

    def position(self) -> int:
        """How many events this process has emitted: the index its next event will have in its file."""
        self._open()
        return self.count

    def emit(self, event: str, /, *, counted: bool = True, **fields: Any) -> None:
        """Write one event.  ``counted=False``: it does not count toward ``max_events`` (the engine's own
        synchronization edges, which a program makes by waiting, not by flooding; bounded by the engine)."""
        check_kind(event)
        fd = self._open()
        if self.count - self.uncounted >= self.max_events:
            if counted and self.count - self.uncounted == self.max_events and self.on_flood is not None:
                self.count += 1
                self.on_flood()
            return
        self.count += 1
        if not counted:
            self.uncounted += 1
        fields["e"] = event
        data = _encode(fields) + "\n"
        os.write(fd, data.encode("utf-8", "replace"))


def parse_lines(data: bytes, kind: str | None = None) -> list[dict[str, Any]]:
    """The events in ``data``, in order (only those of ``kind`` if given).  A torn line (a process killed
    mid-write, or the cut start of a tail) is dropped."""
    marker = f'"e": "{kind}"'.encode() if kind is not None else b""
    events = []
    for raw in data.splitlines():
        if marker not in raw:
            continue
        try:
            event = json.loads(raw)
        except ValueError:
            continue
        if kind is None or event.get("e") == kind:
            events.append(event)
    return events


def read_events(path: str | Path, kind: str | None = None) -> list[dict[str, Any]]:
    """The events of one trace file (only those of ``kind`` if given).  ``OSError`` if it cannot be read."""
    return parse_lines(real.read_file(str(path)), kind)


def read_tail(path: str | Path, size: int = 4096) -> list[dict[str, Any]]:
    """The events in the last ``size`` bytes of one trace file (a cheap look at how far its process got)."""
    return parse_lines(real.read_end(str(path), size))


def read_trace(directory: Path) -> dict[int, list[dict[str, Any]]]:
    """Every process's events, by pid.  A torn last line (a process killed mid-write) is dropped."""
    return {int(path.stem): read_events(path) for path in sorted(directory.glob("*.jsonl"))}
