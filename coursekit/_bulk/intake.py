"""Intake: turn a folder of class submissions into one ``Submission`` per student, whatever arrives.

``SUBMISSIONS/<student>/`` mirrors ``exercises/`` (``alice/threads/numbers_letters_threads.py``); a
``<student>.zip`` holds the same layout, with or without a top-level ``exercises/`` folder.  Nothing here runs
or imports student files: they are read as bytes, checked, and copied into a private staging folder.  Every
oddity becomes a short note for that student (or for the class, when no student can be named), and intake
goes on: one broken submission never stops the batch.

Memory is bounded per student, whatever the submission claims: only entries that name an exercise file are
read at all, each at most once per exercise, each file to at most ``MAX_FILE_BYTES`` (streamed: a member's
declared size is not trusted), and at most ``MAX_READ_TOTAL`` bytes in all (a 1.25 MB zip of 2000 copies of
one exercise file used to make intake hold 1 GB).
"""

from __future__ import annotations

import io
import os
import stat
import tokenize
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path, PurePosixPath
from typing import IO

from coursekit.registry import Exercise

MAX_FILE_BYTES = 512 * 1024  # a submission file larger than this is not graded
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_TOTAL = 64 * 1024 * 1024  # uncompressed bytes a zip may declare, over all members
MAX_READ_TOTAL = 8 * 1024 * 1024  # bytes intake reads for one student, over all its files
MAX_DEPTH = 16  # folders of a submission nested deeper than this are not read
MAX_NOTES = 50  # notes kept per student (a zip of 2000 entries must not make 2000 of them)
IGNORED_NAMES = {"__MACOSX", ".DS_Store", "__pycache__", "Thumbs.db", ".ipynb_checkpoints"}


@dataclass
class Accepted:
    exercise: str
    path: Path  # the staged copy (never the student's original)
    digest: str  # sha256 of the content: with the exercise and the kit, the cache key


@dataclass
class Submission:
    student: str
    source: str  # "folder", "zip", or "" when nothing usable was found
    files: dict[str, Accepted] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)  # exercise id -> why its file could not be graded
    notes: list[str] = field(default_factory=list)  # for the student: files ignored, and why


@dataclass
class Intake:
    students: list[Submission]
    notes: list[str]  # for the instructor: entries that name no student


def collect(folder: Path, exercises: list[Exercise], staging: Path, *, match_names: bool = False) -> Intake:
    """Read every student of ``folder`` (sorted by id); stage accepted files under ``staging``.

    ``match_names``: also accept a file anywhere in the submission whose name is that of exactly one exercise
    file (Gradescope uploads are often flat); otherwise such a file is reported as being in the wrong place.
    """
    by_rel = {f"{ex.id}.py": ex for ex in exercises}
    class_notes: list[str] = []
    found: dict[str, dict[str, Path]] = {}
    for entry in sorted(os.listdir(folder)):
        path = folder / entry
        if entry.startswith(".") or entry in IGNORED_NAMES:
            if entry not in IGNORED_NAMES and not entry.startswith((".DS_Store", "._")):
                class_notes.append(f"{entry!r}: hidden entry ignored (a student id may not start with '.')")
            continue
        if entry.lower().endswith(".zip") and not path.is_dir():
            found.setdefault(entry[:-4], {})["zip"] = path
        elif path.is_dir() or path.is_symlink():
            found.setdefault(entry, {})["folder"] = path
        else:
            class_notes.append(f"{entry!r}: neither a student folder nor a .zip; ignored")
    students = []
    for n, student in enumerate(sorted(found)):
        kinds = found[student]
        sub = Submission(student, "")
        box = staging / str(n)
        box.mkdir(parents=True)
        if "folder" in kinds and "zip" in kinds:
            sub.notes.append(f"Both a folder {student!r} and {student}.zip were handed in; the folder was graded "
                             "and the zip ignored. Hand in one of them.")
        wanted = _Wanted(by_rel, match_names)
        if "folder" in kinds:
            sub.source = "folder"
            entries = _folder_entries(kinds["folder"], sub, wanted)
        else:
            sub.source = "zip"
            entries = _zip_entries(kinds["zip"], sub, wanted)
        _accept(entries, by_rel, sub, box, match_names)
        if len(sub.notes) > MAX_NOTES:
            sub.notes[MAX_NOTES:] = [f"... and {len(sub.notes) - MAX_NOTES} more notes like these."]
        students.append(sub)
    return Intake(students, class_notes)


# -- reading -------------------------------------------------------------------------------------------------
Content = bytes | str | None  # the bytes, why they could not be read, or None: not read (no exercise needs it)


class _Wanted:
    """Which entries are worth reading: those that name an exercise file (where it belongs, or anywhere with
    ``match_names``), the first one for each; and how much may still be read."""

    def __init__(self, by_rel: dict[str, Exercise], match_names: bool) -> None:
        self.by_rel = by_rel
        self.names = {rel.rsplit("/", 1)[-1]: rel for rel in by_rel} if match_names else {}
        self.claimed: set[str] = set()
        self.budget = MAX_READ_TOTAL

    def __call__(self, rel: str) -> bool:
        key = rel.removeprefix("exercises/")
        if key not in self.by_rel:
            key = self.names.get(key.rsplit("/", 1)[-1], "")
        if not key or key in self.claimed:
            return False
        self.claimed.add(key)
        return True

    def read(self, f: IO[bytes]) -> bytes | str:
        """At most ``MAX_FILE_BYTES`` + 1 bytes of ``f``, in chunks, within the student's budget."""
        chunks: list[bytes] = []
        got = 0
        while got <= MAX_FILE_BYTES:
            if self.budget <= 0:
                return f"it was not read: your submission holds more than the {MAX_READ_TOTAL} bytes read in all"
            chunk = f.read(min(64 * 1024, MAX_FILE_BYTES + 1 - got, self.budget))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            self.budget -= len(chunk)
        return b"".join(chunks)


def _folder_entries(root: Path, sub: Submission, wanted: _Wanted) -> list[tuple[str, Content]]:
    """(relative path, content or why unreadable) for each regular file; symbolic links are never followed."""
    if root.is_symlink():
        sub.notes.append("Your submission folder is a symbolic link; it was not followed.")
        return []
    out: list[tuple[str, Content]] = []
    for dirpath, dirnames, filenames in _walk(root, sub):
        rel_dir = Path(dirpath).relative_to(root)
        for d in list(dirnames):
            if d in IGNORED_NAMES or d.startswith("."):
                dirnames.remove(d)
            elif (Path(dirpath) / d).is_symlink():
                dirnames.remove(d)
                sub.notes.append(f"{(rel_dir / d).as_posix()}: a symbolic link to a folder; not followed.")
        for name in sorted(filenames):
            if name in IGNORED_NAMES or name.startswith("."):
                continue
            full = Path(dirpath) / name
            rel = (rel_dir / name).as_posix()
            if not wanted(rel):
                out.append((rel, None))
                continue
            info = os.lstat(full)
            if stat.S_ISLNK(info.st_mode):
                out.append((rel, "it is a symbolic link (links are not followed: hand in the file itself)"))
            elif not stat.S_ISREG(info.st_mode):
                out.append((rel, "it is not a regular file"))
            elif info.st_size > MAX_FILE_BYTES:
                out.append((rel, f"it is {info.st_size} bytes, more than the {MAX_FILE_BYTES} bytes allowed"))
            else:
                try:
                    fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
                    with os.fdopen(fd, "rb") as f:
                        out.append((rel, wanted.read(f) if stat.S_ISREG(os.fstat(fd).st_mode)
                                    else "it is not a regular file"))
                except OSError as exc:
                    out.append((rel, f"it cannot be read ({exc.strerror})"))
    return out


def _walk(root: Path, sub: Submission) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` without following links, iterative and bounded: a tree thousands of folders deep made the
    recursive walk of Python 3.11 raise ``RecursionError``.  Folders deeper than ``MAX_DEPTH`` are not read."""
    todo = [(str(root), 0)]
    while todo:
        top, depth = todo.pop()
        try:
            with os.scandir(top) as it:
                entries = list(it)
        except OSError:
            continue
        dirnames = sorted(e.name for e in entries if e.is_dir(follow_symlinks=False) or
                          (e.is_symlink() and os.path.isdir(e.path)))
        filenames = [e.name for e in entries if e.name not in dirnames]
        yield top, dirnames, filenames
        if depth >= MAX_DEPTH and dirnames:
            sub.notes.append(f"{Path(top).relative_to(root).as_posix()}: folders nested more than {MAX_DEPTH} "
                             "deep were not read.")
            continue
        todo += [(path, depth + 1) for d in reversed(dirnames) if not os.path.islink(path := os.path.join(top, d))]


def _zip_entries(path: Path, sub: Submission, wanted: _Wanted) -> list[tuple[str, Content]]:
    """Members of a zip, read with every size bounded: a zip bomb or a zip slip is reported, never extracted."""
    if path.is_symlink():
        sub.notes.append(f"{path.name} is a symbolic link; it was not followed.")
        return []
    out: list[tuple[str, Content]] = []
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                sub.notes.append(f"{path.name} holds {len(members)} entries (at most {MAX_ZIP_MEMBERS}); not read.")
                return []
            declared = sum(m.file_size for m in members)
            if declared > MAX_ZIP_TOTAL:
                sub.notes.append(f"{path.name} would unpack to {declared} bytes (at most {MAX_ZIP_TOTAL}): it looks "
                                 "like a zip bomb; only its small files were read.")
            for m in members:
                name = m.filename.replace("\\", "/")
                if m.is_dir():
                    continue
                parts = PurePosixPath(name).parts
                if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                    sub.notes.append(f"{name!r} in {path.name}: a path that leads outside the submission; ignored.")
                    continue
                if any(p in IGNORED_NAMES or p.startswith(".") for p in parts):
                    continue
                if not wanted(name):
                    out.append((name, None))
                    continue
                if stat.S_ISLNK(m.external_attr >> 16):
                    out.append((name, "it is a symbolic link (links are not followed: hand in the file itself)"))
                    continue
                if m.file_size > MAX_FILE_BYTES:
                    out.append((name, f"it unpacks to {m.file_size} bytes, more than the {MAX_FILE_BYTES} allowed"))
                    continue
                try:
                    with zf.open(m) as f:
                        data = wanted.read(f)  # streamed and bounded, even if the header lies about the size
                except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
                    out.append((name, f"it cannot be unpacked ({exc})"))
                    continue
                if isinstance(data, bytes) and len(data) > MAX_FILE_BYTES:
                    out.append((name, f"it unpacks to more than the {MAX_FILE_BYTES} bytes allowed"))
                else:
                    out.append((name, data))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        sub.notes.append(f"{path.name} is not a readable zip file ({exc}); nothing in it could be graded.")
    return out


# -- checking and staging ----------------------------------------------------------------------------------
def _accept(entries: list[tuple[str, Content]], by_rel: dict[str, Exercise], sub: Submission, box: Path,
            match_names: bool) -> None:
    by_name: dict[str, list[str]] = {}
    for rel in by_rel:
        by_name.setdefault(rel.rsplit("/", 1)[-1], []).append(rel)
    for rel, content in entries:
        key = rel.removeprefix("exercises/")
        if key not in by_rel:
            name = key.rsplit("/", 1)[-1]
            options = by_name.get(name, [])
            if match_names and len(options) == 1 and options[0] not in sub.files:
                key = options[0]
            elif options:
                sub.notes.append(f"{rel}: in the wrong place, so not graded; it belongs at "
                                 f"{' or '.join(options)} (the same folders as exercises/).")
                continue
            else:
                if not rel.endswith((".md", ".txt")):
                    sub.notes.append(f"{rel}: not an exercise file of this course; ignored.")
                continue
        ex = by_rel[key]
        if ex.id in sub.files or ex.id in sub.rejected:
            sub.notes.append(f"{rel}: a second file for {ex.id}; ignored.")
            continue
        if content is None:  # not read: a later file for an exercise that already has one
            sub.notes.append(f"{rel}: a second file for {ex.id}; ignored.")
            continue
        if isinstance(content, str):
            sub.rejected[ex.id] = f"Your file {key} could not be graded: {content}."
            continue
        problem = _text_problem(content)
        if problem:
            sub.rejected[ex.id] = f"Your file {key} could not be graded: {problem}"
            continue
        if not content.strip():
            sub.notes.append(f"{key}: the file is empty.")
        staged = box / f"{len(sub.files)}" / ex.exercise_path.name
        staged.parent.mkdir()
        staged.write_bytes(content)
        sub.files[ex.id] = Accepted(ex.id, staged, sha256(content).hexdigest())


def _text_problem(content: bytes) -> str:
    """Why ``content`` is not Python source text that can be read (its declared encoding, else UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(content).readline)
        content.decode(encoding)
    except SyntaxError as exc:
        if "unknown encoding" in str(exc.msg):
            return f"its encoding declaration is not valid ({exc.msg}). Save it as UTF-8."
        return "it is not UTF-8 text (undecodable bytes near the start). Save it as UTF-8."
    except (UnicodeDecodeError, LookupError) as exc:
        where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        return f"it is not UTF-8 text (undecodable bytes{where}). Save it as UTF-8."
    return ""
