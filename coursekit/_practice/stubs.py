"""Pristine stubs: where an untouched exercise file can be found again, resetting to it, and its lesson.

A stub can come back from two places.  Git, when the course is a clone: the version on the branch's upstream
(what the course published), else the committed version.  And a pristine copy the kit keeps under
``.course/pristine/`` (git-ignored), taken the first time any ``course`` command sees an exercise: from git's
committed version when the file is tracked (so edits made before that first command are not mistaken for the
stub), else from the file as it is then, if it still raises ``NotImplementedError`` as every stub does (a file
already solved before the first command is not taken for its stub).  A reset never loses work: the learner's
version is first copied to ``.course/backups/<id>.<time>.py``.
"""

from __future__ import annotations

import ast
import functools
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from coursekit.registry import Course, Exercise

KIT_DIR = ".course"
STUB_MARK = "NotImplementedError"  # every stub raises it where the learner acts (see README, writing an exercise)


@dataclass(frozen=True)
class Pristine:
    text: str
    source: str  # where it came from, for people: "git (origin/main)", "the pristine copy in .course/pristine"


@dataclass(frozen=True)
class ResetOutcome:
    source: str
    backup: Path | None  # None when the file was already the stub (nothing to keep)


def _git(root: Path, *args: str) -> str | None:
    """Output of a git command in the course root, or None (not a repository, no git, unknown revision)."""
    try:
        proc = subprocess.run(["git", "-C", str(root), *args],  # noqa: S607 - the user's own git, from PATH
                              capture_output=True, text=True, timeout=20, encoding="utf-8", errors="replace",
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def _relative(exercise: Exercise) -> str:
    return exercise.exercise_path.relative_to(exercise.root).as_posix()


def _from_git(exercise: Exercise, rev: str) -> str | None:
    return _git(exercise.root, "show", f"{rev}:./{_relative(exercise)}")  # ./: relative to the course root


def pristine_copy_path(exercise: Exercise) -> Path:
    return exercise.root / KIT_DIR / "pristine" / f"{exercise.id}.py"


def snapshot(course: Course) -> list[Exercise]:
    """Keep a pristine copy of every exercise that has none yet; returns the exercises newly copied."""
    made = []
    tracked: str | None = None
    for ex in course.exercises:
        dest = pristine_copy_path(ex)
        if dest.exists() or not ex.exercise_path.is_file():
            continue
        if tracked is None:
            tracked = _git(course.root, "ls-files", "--", "exercises") or ""
        text = _from_git(ex, "HEAD") if _relative(ex) in tracked.splitlines() else None
        if text is None:
            text = ex.exercise_path.read_text(encoding="utf-8")
            if STUB_MARK not in text:  # already worked on (every stub raises it): not a stub to keep
                continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        made.append(ex)
    return made


@functools.lru_cache(maxsize=8)
def _upstream(root: Path) -> str:
    out = _git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    return out.strip() if out else ""


def pristine(exercise: Exercise) -> Pristine | None:
    """The stub as the course gave it: git upstream, then the pristine copy, then git's committed version."""
    upstream = _upstream(exercise.root)
    if upstream:
        text = _from_git(exercise, upstream)
        if text is not None:
            return Pristine(text, f"git ({upstream})")
    copy = pristine_copy_path(exercise)
    if copy.is_file():
        return Pristine(copy.read_text(encoding="utf-8"), f"the pristine copy in {copy.relative_to(exercise.root)}")
    text = _from_git(exercise, "HEAD")
    if text is not None:
        return Pristine(text, "git (the committed version)")
    return None


def stub_text(exercise: Exercise) -> str | None:
    """The stub's text for telling "not started" apart: the pristine copy when there is one (no git call)."""
    copy = pristine_copy_path(exercise)
    if copy.is_file():
        return copy.read_text(encoding="utf-8")
    found = pristine(exercise)
    return found.text if found else None


def reset(exercise: Exercise) -> ResetOutcome:
    """Put the stub back, after copying the learner's version to a backup (raises LookupError: no stub known)."""
    stub = pristine(exercise)
    if stub is None:
        raise LookupError(f"no pristine copy of {exercise.exercise_path.relative_to(exercise.root)} was found "
                          f"(not in git, not in {KIT_DIR}/pristine/)")
    path = exercise.exercise_path
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current == stub.text:
        return ResetOutcome(stub.source, None)
    backup = None
    if current is not None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = exercise.root / KIT_DIR / "backups" / f"{exercise.id}.{stamp}.py"
        n = 1
        while backup.exists():
            n += 1
            backup = backup.with_name(f"{exercise.id.rsplit('/', 1)[-1]}.{stamp}-{n}.py")
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, backup)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(stub.text, encoding="utf-8")
    return ResetOutcome(stub.source, backup)


def lesson(exercise: Exercise) -> str:
    """The lesson: the module docstring of the stub as given (else of the file as it is now)."""
    stub = pristine(exercise)
    sources = ([stub.text] if stub else []) + [exercise.exercise_path]
    for source in sources:
        try:
            text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
            doc = ast.get_docstring(ast.parse(text))
        except (OSError, SyntaxError, ValueError):
            continue
        if doc:
            return doc
    return ""
