"""A learner's progress, in one JSON file in the course root (``.course-progress.json``, git-ignored).

It is a cache, not a gradebook: grading never reads it, and everything in it but the number of hints shown can
be rebuilt by checking the exercises again.  Each record keeps the digest of the exercise file it was made
from, so a record whose file has changed since is known to be stale (``Progress.status`` says so, and the
caller decides whether to re-check).  A missing file is an empty progress; a file that cannot be read is set
aside (renamed with ``.corrupt``) and replaced, never trusted and never a crash.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

from coursekit.registry import Course, Exercise
from coursekit.results import ExerciseResult, Status

PROGRESS_FILE = ".course-progress.json"
PROGRESS_VERSION = 1



class ExerciseStatus(StrEnum):
    """Where a learner stands on one exercise.  The values are those of ``.course-progress.json`` (a record's
    ``status``): they must not change, or existing progress files would be set aside as unreadable."""

    SOLVED = "solved"
    ATTEMPTED = "attempted"
    NOT_STARTED = "not started"
    STALE = "changed since last check"
    """Never recorded: what ``Progress.status`` says when no record matches the file as it is now."""


RECORDED = (ExerciseStatus.SOLVED, ExerciseStatus.ATTEMPTED, ExerciseStatus.NOT_STARTED)
"""The statuses a record may hold."""


def file_digest(path: Path | None) -> str:
    """The SHA-256 of a file's bytes, in hex; empty when there is no such file (or it cannot be read).

    The one digest of a file's content in the kit: progress records (was this very file checked?) and the bulk
    grader's verdict cache (``coursekit._bulk.grade_class``) both key on it.
    """
    if path is None:
        return ""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


@dataclass
class Record:
    """What is known of one exercise: its last check, and the help the learner has asked for."""

    status: ExerciseStatus = ExerciseStatus.NOT_STARTED
    score: float = 0.0
    max_score: float = 0.0
    failed: list[str] = field(default_factory=list)  # names of the checks that failed last time
    digest: str = ""  # the exercise file's digest when it was last checked
    checked_at: str = ""
    hints_shown: int = 0
    findings: list[str] = field(default_factory=list)  # the kinds of the likely mistakes of the last check
    hints_for_shown: dict[str, int] = field(default_factory=dict)  # mistake -> how many of its hints were shown
    solved_once: bool = False  # ever solved: the reference solution may be shown
    solution_shown: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        known = {f.name for f in fields(cls)}
        rec = cls(**{k: v for k, v in data.items() if k in known})
        if rec.status not in RECORDED or not isinstance(rec.hints_shown, int) or not isinstance(
                rec.hints_for_shown, dict) or not isinstance(rec.findings, list):
            raise ValueError(f"bad record {data!r}")
        rec.status = ExerciseStatus(rec.status)
        return rec


class Progress:
    """Records by exercise id, loaded from and saved to ``<course root>/.course-progress.json``."""

    def __init__(self, root: Path, records: dict[str, Record] | None = None, recovered: str = "") -> None:
        self.root = root
        self.path = root / PROGRESS_FILE
        self.records: dict[str, Record] = records or {}
        self.recovered = recovered  # why the file was started afresh ("" when it was read as it was)

    @classmethod
    def load(cls, course: Course) -> Progress:
        path = course.root / PROGRESS_FILE
        if not path.exists():
            return cls(course.root, recovered="missing")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != PROGRESS_VERSION:
                raise ValueError(f"unknown format version {data.get('version') if isinstance(data, dict) else data!r}")
            records = {str(k): Record.from_dict(v) for k, v in data.get("exercises", {}).items()}
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            aside = path.with_name(PROGRESS_FILE + ".corrupt")
            try:
                os.replace(path, aside)
            except OSError:
                pass
            return cls(course.root, recovered=f"unreadable ({exc}); set aside as {aside.name}")
        return cls(course.root, records)

    def save(self) -> None:
        """Write atomically: a crash mid-write leaves the old file, never half a file."""
        data = {"version": PROGRESS_VERSION, "exercises": {k: asdict(v) for k, v in sorted(self.records.items())}}
        tmp = self.path.with_name(f"{PROGRESS_FILE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)

    def record(self, exercise: Exercise) -> Record:
        return self.records.setdefault(exercise.id, Record())

    def status(self, exercise: Exercise, *, pristine: str | None = None) -> ExerciseStatus:
        """Solved, attempted or not started, or ``STALE`` when nothing recorded matches the file as it is now.

        ``pristine``: the stub's text, if known.  A file equal to it is "not started", whatever was recorded
        (a reset, or a stub checked as it came); otherwise the record made from this very file tells.
        """
        digest = file_digest(exercise.exercise_path)
        rec = self.records.get(exercise.id)
        current = rec is not None and bool(rec.digest) and rec.digest == digest
        if current and rec is not None and rec.status is ExerciseStatus.SOLVED:  # a stub never passes: trust it
            return ExerciseStatus.SOLVED
        if pristine is not None and digest == hashlib.sha256(pristine.encode("utf-8")).hexdigest():
            return ExerciseStatus.NOT_STARTED
        if current and rec is not None:
            return rec.status
        return ExerciseStatus.STALE

    def update(self, exercise: Exercise, result: ExerciseResult, digest: str) -> Record:
        """Record a check of the file whose digest was ``digest`` when it was graded."""
        rec = self.record(exercise)
        solved = bool(result.checks) and all(c.status is Status.PASSED for c in result.checks)
        rec.status = ExerciseStatus.SOLVED if solved else ExerciseStatus.ATTEMPTED
        rec.score, rec.max_score = result.score, result.max_score
        rec.failed = [c.name for c in result.checks if c.status is not Status.PASSED]
        rec.findings = list(dict.fromkeys(kind for c in result.checks if c.status is not Status.PASSED
                                          for kind in c.findings))
        rec.digest = digest
        rec.checked_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        rec.solved_once = rec.solved_once or solved
        return rec

    def forget_check(self, exercise: Exercise) -> None:
        """After a reset: the file is the stub again; keep the hints shown and whether it was ever solved."""
        rec = self.record(exercise)
        rec.status, rec.score, rec.failed, rec.digest, rec.checked_at = ExerciseStatus.NOT_STARTED, 0.0, [], "", ""
        rec.findings = []
