"""The standard library's own time functions (and ``os.fork``), captured before any engine replaces them; and
the raw reads and writes of the small files the engines share between processes (``read_file``).

Why one module: every engine patches ``time.sleep`` and the clocks, and every engine still needs the real ones
(for its watchdog, for short real waits, for the standard library's own timeouts).  Capturing them in each
engine module made the result depend on which module was imported first; here they are captured once, at the
first import of the child side, which the harness does before it installs anything.
"""

from __future__ import annotations

import os
import time

fork = os.fork  # the harness forks one copy per schedule; a threads exercise replaces os.fork to refuse it
sleep = time.sleep
monotonic = time.monotonic
process_time = time.process_time

_open, _read, _write, _close, _replace = os.open, os.read, os.write, os.close, os.replace
_CHUNK = 1 << 16


def read_file(path: str) -> bytes:
    """The whole of a small file (the board's statuses and logs, a ``/proc`` stat file), read without Python's
    file objects.  ``OSError`` if it cannot be read.

    Why raw: the processes engine reads the board again and again while a thread waits for its turn (tens of
    thousands of reads in one graded run), and ``open()`` costs four more system calls per file (``fstat``, an
    ``ioctl`` to ask whether it is a terminal, ``lseek``, a last empty ``read``) and a file object each time."""
    fd = _open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        data = _read(fd, _CHUNK)
        if len(data) < _CHUNK:  # a short read is the end (regular files and /proc's stat files)
            return data
        parts = [data]
        while data:
            data = _read(fd, _CHUNK)
            parts.append(data)
        return b"".join(parts)
    finally:
        _close(fd)


def read_end(path: str, size: int) -> bytes:
    """The last ``size`` bytes of a file (how far another process of the tree has got in its trace)."""
    fd = _open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        return os.pread(fd, size, max(0, os.fstat(fd).st_size - size))
    finally:
        _close(fd)


def replace_file(path: str, data: bytes, tmp: str) -> None:
    """Write ``data`` to ``tmp`` and rename it to ``path``: a reader sees the old file or the new, whole
    (``OSError`` if it cannot be written)."""
    fd = _open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        while data:
            data = data[_write(fd, data):]
    finally:
        _close(fd)
    _replace(tmp, path)
