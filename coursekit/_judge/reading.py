"""Judge side: read the files a run leaves behind as hostile input (the student's code could write all of them).

Why a module of its own: the trace folder, the guard's record, stdout, stderr and the status file are written
inside the student's run, or where it can reach, and the judge used to read them as trusted files: a FIFO there
hung ``course grade`` for ever, a symbolic link to ``/dev/zero`` read until the OOM killer came, and one forged
3.5 MB line came back as a 3.5 MB ``results.json``.  Everything the judge reads from a run goes through here:

* **regular files only**: each name is ``lstat``-ed first, then opened with ``O_NOFOLLOW | O_NONBLOCK`` (a FIFO
  or device swapped in between cannot block the open) and ``fstat``-ed after the open (what was opened is what
  is read); symbolic links, FIFOs, sockets and devices are refused and named;
* **caps enforced here**, not only inside the student's process: bytes per file, bytes and events over the whole
  folder, events per file (the kit's writer stops at ``Limits.max_events``), the length of every string copied
  out of an event (with a marker saying how much was cut), the items of every list, the depth of every event;
* **a time limit per file**: parsing stops when it has taken longer than ``ReadLimits.seconds_per_file``.

Anything a kit-written file cannot hold (a link, a FIFO, a file over the size limit the run had, more events than
the writer writes, a line longer than a file may be) is reported as a ``Refusal``; the runner turns each into a
guard record, so the run scores 0 as tampering and the student's feedback names what was found.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CUT_MARKER = "… [cut by the grader: {n} more characters]"


@dataclass(frozen=True)
class ReadLimits:
    """How much of a run's files the judge reads (derived from the run's ``Limits`` by ``for_run``)."""

    file_bytes: int = 4096 * 1024  # a run cannot write a bigger file (RLIMIT_FSIZE): more is forged
    total_bytes: int = 64 * 1024 * 1024  # over every file of a trace folder
    file_events: int = 20_000  # the kit's trace writer writes no more per process
    total_events: int = 200_000  # over every file of a trace folder
    max_string: int = 500  # characters of any one string copied out of an event (a printed line)
    max_result: int = 20_000  # the entry point's result (its repr), which Returns compares call by call: the
    # harness writes at most this much (coursekit._engine.harness.RESULT_CHARS), one such string per run
    max_items: int = 1000  # items of any one list, keys of any one object, in an event
    max_depth: int = 8  # nesting of objects and lists in an event (the kit's are at most 4 deep)
    seconds_per_file: float = 10.0  # judge time to parse one file

    @classmethod
    def for_run(cls, output_kb: int, max_events: int) -> ReadLimits:
        """The caps for a run with these ``Limits``: a file no larger than the run could write, no more events per
        file than the writer emits (plus its own few lines: the flood marker, the exit), ten times that over all
        of the run's processes."""
        file_bytes = max(1, output_kb) * 1024
        return cls(file_bytes=file_bytes, total_bytes=16 * file_bytes, file_events=max_events + 16,
                   total_events=10 * (max_events + 16))


@dataclass(frozen=True)
class Refusal:
    """A file of the run that a kit-written file could not be, and what was done about it."""

    name: str  # the file's name inside its folder (never a host path)
    why: str  # in words for the student, e.g. "is a FIFO, not a file"


@dataclass
class TraceRead:
    """What was read from one trace folder."""

    events: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)
    strings_cut: int = 0  # strings shortened to ``max_string``


class Unsafe(OSError):
    """A path that is not a regular file the judge may read (``why`` says what it is)."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(errno.EPERM, f"{name} {why}")
        self.name, self.why = name, why


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "is a symbolic link, not a file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (a named pipe), not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    return "is not a regular file"


def read_bytes(path: Path, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of the regular file ``path``, and whether there was more.

    Raises ``Unsafe`` for anything but a regular file (checked before and after the open, which neither follows
    a link nor blocks on a FIFO), ``OSError`` if it cannot be read."""
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        raise Unsafe(path.name, _kind(info.st_mode))
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
                 | getattr(os, "O_NOCTTY", 0))
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # swapped between the lstat and the open
            raise Unsafe(path.name, _kind(opened.st_mode))
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        data = b"".join(chunks)
        return data[:limit], len(data) > limit
    except OSError as exc:
        if isinstance(exc, Unsafe) or exc.errno != errno.ELOOP:
            raise
        raise Unsafe(path.name, "is a symbolic link, not a file") from None
    finally:
        os.close(fd)


def read_text(path: Path, limit: int = 64 * 1024) -> str:
    """The first ``limit`` bytes of a regular file as text; ``""`` for anything unreadable or not a file."""
    try:
        data, _ = read_bytes(path, limit)
    except OSError:
        return ""
    return data.decode("utf-8", "replace")


def read_json(path: Path, limit: int = 1 << 20) -> Any:
    """The JSON document in a regular file of at most ``limit`` bytes; ``None`` if it is anything else."""
    try:
        data, more = read_bytes(path, limit)
        return None if more else json.loads(data)
    except (OSError, ValueError, RecursionError):
        return None


class _Capper:
    """Copies an event with every string, list and object bounded (and counts what it cut)."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.cut = 0

    def string(self, text: str, limit: int | None = None) -> str:
        limit = self.limits.max_string if limit is None else limit
        if len(text) <= limit:
            return text
        self.cut += 1
        return text[:limit] + CUT_MARKER.format(n=len(text) - limit)

    def value(self, item: Any, depth: int) -> Any:
        if isinstance(item, str):
            return self.string(item)
        if isinstance(item, (bool, int, float)) or item is None:
            return item
        if depth >= self.limits.max_depth:
            raise ValueError("nested too deep")
        if isinstance(item, list):
            return [self.value(x, depth + 1) for x in item[: self.limits.max_items]]
        if isinstance(item, dict):
            return {self.string(str(k)): self.string(v, self.limits.max_result) if k == "result" and
                    isinstance(v, str) and depth == 0 else self.value(v, depth + 1)
                    for k, v in list(item.items())[: self.limits.max_items]}
        raise ValueError(f"not JSON: {type(item).__name__}")


_decode = json.JSONDecoder().decode


def parse_events(data: bytes, limits: ReadLimits, *, name: str = "",
                 clock: Any = time.monotonic) -> tuple[list[dict[str, Any]], list[Refusal], int]:
    """The events in ``data`` (JSON objects with a string ``e``, one per line), bounded by ``limits``; the
    refusals it found, and how many strings it cut.  A torn or unreadable line is dropped, as before."""
    capper = _Capper(limits)
    events: list[dict[str, Any]] = []
    refusals: list[Refusal] = []
    deadline = clock() + limits.seconds_per_file
    longest = 0
    # A line this short, with this few brackets, holds no string, list, object or nesting past a cap (a string of
    # n characters takes more than n bytes): parsing it is enough, and most lines are such (the walk below was
    # most of the judge's time).
    short = min(limits.max_string, limits.max_result, 2 * limits.max_items)
    for n, raw in enumerate(data.splitlines()):
        longest = max(longest, len(raw))
        if len(events) >= limits.file_events:
            refusals.append(Refusal(name, f"holds more than the {limits.file_events} events the grader writes for "
                                          "one process"))
            break
        if n % 256 == 0 and clock() > deadline:
            refusals.append(Refusal(name, f"took the grader more than {limits.seconds_per_file:g} s to read"))
            break
        try:
            # (as json.loads decodes UTF-8 bytes, without guessing the encoding again for every line)
            text = raw.decode("utf-8", "surrogatepass")
            if len(raw) <= short and raw.count(b"{") + raw.count(b"[") < limits.max_depth:
                event = _decode(text)
            else:
                event = capper.value(_decode(text), 0)
        except (ValueError, RecursionError, TypeError):
            continue
        if isinstance(event, dict) and isinstance(event.get("e"), str):
            events.append(event)
    return events, refusals, capper.cut


def read_trace(directory: Path, limits: ReadLimits) -> TraceRead:
    """Every process's events, by pid, read from the regular ``<pid>.jsonl`` files of ``directory`` only.

    Never blocks, never follows a link, never holds more than ``limits`` allow; what it refused is listed."""
    out = TraceRead()
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return out
    total_bytes = total_events = 0
    for name in names:
        stem, dot, ext = name.partition(".")
        if ext != "jsonl" or not dot or not stem.isdigit():
            continue
        if total_bytes >= limits.total_bytes or total_events >= limits.total_events:
            out.refusals.append(Refusal(name, "was not read: the run's trace is larger than the grader reads"))
            break
        try:
            data, more = read_bytes(directory / name, min(limits.file_bytes, limits.total_bytes - total_bytes))
        except Unsafe as exc:
            out.refusals.append(Refusal(exc.name, exc.why))
            continue
        except OSError:
            continue
        if more:
            out.refusals.append(Refusal(name, f"is larger than the {limits.file_bytes // 1024} kB a run may write"))
        total_bytes += len(data)
        events, refusals, cut = parse_events(data, limits, name=name)
        events = events[: max(0, limits.total_events - total_events)]
        total_events += len(events)
        out.events[int(stem)] = events
        out.refusals += refusals
        out.strings_cut += cut
    return out


def read_records(directory: Path, *, limit: int = 1 << 20, max_records: int = 1000) -> list[dict[str, Any]]:
    """The JSON objects of every regular ``*.jsonl`` file of ``directory`` (the guard's record), bounded."""
    limits = ReadLimits(file_bytes=limit, file_events=max_records)
    out: list[dict[str, Any]] = []
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return out
    for name in names:
        if not name.endswith(".jsonl") or len(out) >= max_records:
            continue
        try:
            data, _ = read_bytes(directory / name, limit)
        except OSError:
            continue
        capper = _Capper(limits)
        for raw in data.splitlines()[:max_records]:
            try:
                item = capper.value(json.loads(raw), 0)
            except (ValueError, RecursionError, TypeError):
                continue
            if isinstance(item, dict):
                out.append(item)
    return out[:max_records]


def refusal_records(refusals: list[Refusal]) -> list[dict[str, Any]]:
    """Refusals as guard records (what ``diagnose``'s tamper finding reads): the run scores 0, and says why."""
    return [{"kind": "trace-files", "detail": f"left a file the grader does not write in the grader's own trace "
                                             f"folder ({r.name} {r.why})", "where": ""} for r in refusals[:3]]


_DIR_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass
class _Folder:
    name: str | None  # its name in the folder above (None: the top)
    ident: tuple[int, int]  # (st_dev, st_ino): the way back up must lead to the same folder
    pending: list[str] | None = None  # its sub-folders still to remove (None: not listed yet)


def _clear_files(fd: int, left: list[str]) -> list[str]:
    """Unlink everything but sub-folders in the open folder ``fd``; return the sub-folders' names."""
    try:
        os.fchmod(fd, 0o700)  # a folder the run made unreadable or unwritable
    except OSError:
        pass
    folders: list[str] = []
    try:
        with os.scandir(fd) as entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.name)
                    else:
                        os.unlink(entry.name, dir_fd=fd)
                except OSError as exc:
                    left.append(f"{entry.name}: {exc.strerror}")
    except OSError as exc:
        left.append(f"a folder could not be listed: {exc.strerror}")
    return folders


def remove_tree(path: Path) -> list[str]:
    """Delete ``path`` and everything under it, however deep, without following links; never raises.

    Iterative (a tree thousands of folders deep made ``shutil.rmtree`` raise ``RecursionError``, which its
    ``ignore_errors`` does not catch), holding one descriptor at a time (a deep tree cannot use them all up),
    each folder opened relative to the one above it (no path grows past ``PATH_MAX``), and checked on the way
    back up to be the folder it came from.  Folders the run made unreadable are given back their permissions.
    Returns what could not be removed (empty when everything went)."""
    left: list[str] = []
    try:
        return _remove_tree(path, left)
    except Exception as exc:  # noqa: BLE001 - clean-up must never stop grading
        return [*left, f"{path}: {type(exc).__name__}: {exc}"]


def _remove_tree(path: Path, left: list[str]) -> list[str]:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return left
    if not stat.S_ISDIR(info.st_mode):
        os.unlink(path)
        return left
    fd = os.open(path, _DIR_FLAGS)
    folders = [_Folder(None, (info.st_dev, info.st_ino))]
    try:
        while folders:
            here = folders[-1]
            if here.pending is None:
                here.pending = _clear_files(fd, left)
            if here.pending and len(left) < 100:
                name = here.pending.pop()
                try:
                    os.chmod(name, 0o700, dir_fd=fd)
                except (OSError, NotImplementedError):
                    pass
                try:
                    child = os.open(name, _DIR_FLAGS, dir_fd=fd)
                except OSError as exc:
                    left.append(f"{name}: {exc.strerror}")
                    continue
                seen = os.fstat(child)
                os.close(fd)
                fd = child
                folders.append(_Folder(name, (seen.st_dev, seen.st_ino)))
                continue
            folders.pop()
            if not folders:
                break
            parent = os.open("..", _DIR_FLAGS, dir_fd=fd)
            seen = os.fstat(parent)
            os.close(fd)
            fd = parent
            if (seen.st_dev, seen.st_ino) != folders[-1].ident:  # moved while we were below it: stop here
                left.append(f"{path}: a folder was moved during clean-up; the rest was left")
                return left
            try:
                os.rmdir(here.name or "", dir_fd=fd)
            except OSError as exc:
                left.append(f"{here.name}: {exc.strerror}")
    finally:
        os.close(fd)
    if not folders:
        try:
            os.rmdir(path)
        except OSError as exc:
            left.append(f"{path}: {exc.strerror}")
    return left
