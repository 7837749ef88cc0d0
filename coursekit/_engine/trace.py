"""The trace: events a harness writes about a student's program, one JSON object per line.

Child side: ``TraceWriter`` appends to ``<dir>/<pid>.jsonl`` with one ``os.write`` per event, so that output from
a process that dies suddenly is never half-buffered and forked children never share a file offset.
Judge side: ``read_trace`` reads every file of a run.  Event kinds are documented in ``coursekit._judge.timeline``,
which turns them into a model.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

#: Bumped whenever the meaning of an event changes; the judge refuses traces of another version.
TRACE_VERSION = 1


class TraceWriter:
    def __init__(self, directory: str, *, max_events: int = 20_000) -> None:
        self.directory = directory
        self.max_events = max_events
        self._pid = -1
        self._fd = -1
        self.count = 0
        self.on_flood: Any = None  # called once when max_events is passed

    def _open(self) -> int:
        pid = os.getpid()
        if pid != self._pid:  # first use, or we are a forked child: never write into the parent's file
            self._pid = pid
            self.count = 0
            path = os.path.join(self.directory, f"{pid}.jsonl")
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return self._fd

    def emit(self, event: str, /, **fields: Any) -> None:
        fd = self._open()
        self.count += 1
        if self.count > self.max_events:
            if self.count == self.max_events + 1 and self.on_flood is not None:
                self.on_flood()
            return
        fields["e"] = event
        data = json.dumps(fields, default=repr, ensure_ascii=False) + "\n"
        os.write(fd, data.encode("utf-8", "replace"))


def read_trace(directory: Path) -> dict[int, list[dict[str, Any]]]:
    """Every process's events, by pid.  A torn last line (a process killed mid-write) is dropped."""
    out: dict[int, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.jsonl")):
        events = []
        for raw in path.read_bytes().splitlines():
            try:
                events.append(json.loads(raw))
            except ValueError:
                continue
        out[int(path.stem)] = events
    return out
