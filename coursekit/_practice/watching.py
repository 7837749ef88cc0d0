"""Watch mode's inputs: saved exercise files and key presses, as one queue of events.

File events come from ``watchfiles`` (inotify, FSEvents, ReadDirectoryChangesW) when it can watch the
folder, and from polling file times when it cannot (no ``watchfiles``, no inotify watches left, ``--poll``
asked for, or ``WATCHFILES_FORCE_POLLING`` set, e.g. on network or WSL-mounted folders where events are
unreliable).  Either way the consumer compares file digests before re-checking, so a doubled event, or an editor
that rewrites a file without changing it, costs nothing.

Keys come from the terminal in cbreak mode (one key at a time, no Enter), restored on exit; when the input is
not a terminal, each character of each line read is a key, so watch mode can also be driven by a pipe.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

POLL_INTERVAL_S = 0.5


@dataclass(frozen=True)
class FileChanged:
    """A ``.py`` file under the watched folder was saved (or created, or removed)."""

    path: Path


@dataclass(frozen=True)
class KeyPressed:
    """A key the learner pressed (one character, never white space)."""

    key: str


@dataclass(frozen=True)
class WatcherNote:
    """Something the watcher itself wants to say (e.g. that it fell back to polling)."""

    text: str


Event = FileChanged | KeyPressed | WatcherNote
"""Every input of watch mode, one dataclass per kind (match on the class)."""


class FileWatcher:
    """Puts a ``FileChanged`` on a queue for every changed ``.py`` file under ``folder``."""

    def __init__(self, folder: Path, events: queue.Queue[Event], *, poll: bool = False) -> None:
        self.folder = folder
        self.events = events
        self.stop = threading.Event()
        self.mode = "polling" if poll or os.environ.get("WATCHFILES_FORCE_POLLING") else "file events"
        self._thread = threading.Thread(target=self._run, name="course-watch-files", daemon=True)

    def start(self) -> FileWatcher:
        if self.mode == "file events":
            try:
                import watchfiles  # noqa: F401
            except ImportError:
                self.mode = "polling"
        self._thread.start()
        return self

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        if self.mode == "file events":
            try:
                self._events()
                return
            except Exception as exc:  # noqa: BLE001 - any failure of the native watcher means: poll instead
                if self.stop.is_set():
                    return
                self.mode = "polling"
                self.events.put(WatcherNote(f"file events failed ({exc}); polling instead"))
        self._poll()

    def _events(self) -> None:
        import watchfiles

        for changes in watchfiles.watch(self.folder, stop_event=self.stop, debounce=200, step=50,
                                        rust_timeout=500, yield_on_timeout=False, raise_interrupt=False):
            for _change, path in sorted(changes):
                if path.endswith(".py"):
                    self.events.put(FileChanged(Path(path)))

    def _snapshot(self) -> dict[str, float]:
        out = {}
        for path in self.folder.rglob("*.py"):
            try:
                st = path.stat()
            except OSError:
                continue
            out[str(path)] = (st.st_mtime_ns, st.st_size)
        return out  # type: ignore[return-value]

    def _poll(self) -> None:
        seen = self._snapshot()
        while not self.stop.wait(POLL_INTERVAL_S):
            now = self._snapshot()
            for path in sorted(now):
                if seen.get(path) != now[path]:
                    self.events.put(FileChanged(Path(path)))
            seen = now


@contextlib.contextmanager
def key_reader(events: queue.Queue[Event], stream: Any = None) -> Iterator[bool]:
    """Feed key presses into ``events`` while the block runs; yields whether keys come one at a time (a tty)."""
    stream = stream if stream is not None else sys.stdin
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        yield False
        return
    stop = threading.Event()
    tty_mode = os.isatty(fd)
    saved = None
    if tty_mode:
        try:
            import termios
            import tty
        except ImportError:  # no termios (Windows): keys then need Enter
            tty_mode = False
        else:
            try:
                saved = termios.tcgetattr(fd)
                tty.setcbreak(fd)
            except termios.error:
                tty_mode = False

    def read() -> None:
        while not stop.is_set():
            try:
                ready, _, _ = select.select([fd], [], [], 0.2)
            except (OSError, ValueError):
                return
            if not ready:
                continue
            try:
                data = os.read(fd, 64)
            except OSError:
                return
            if not data:  # end of input: nothing more will come, but keep watching files
                return
            for ch in data.decode("utf-8", "replace"):
                if not ch.isspace():
                    events.put(KeyPressed(ch))

    thread = threading.Thread(target=read, name="course-watch-keys", daemon=True)
    thread.start()
    try:
        yield tty_mode
    finally:
        stop.set()
        thread.join(timeout=1)
        if saved is not None:
            import termios

            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
