"""The stub a notebook is built from: the exercise as the course publishes it, never the instructor's edits.

Why: an instructor who tries an exercise (solves it in ``exercises/``, as a student would) and then builds the
notebooks must get the same notebooks as before.  Built from the edited file, the answer cell would hold their
solution, or the build would fail because nothing differs from the reference solution.

The rule, in order (it depends on git and on the convention every stub follows, not on the kit's own state):

1. The course is a git checkout and the file is tracked: the committed version (``git show HEAD:<path>``),
   what the course publishes.  Uncommitted changes are left out, and the build says so (commit a stub you
   changed on purpose, then build again).
2. Otherwise the file in ``exercises/``, if it is still a stub: it raises ``NotImplementedError`` where the
   student writes, as every stub does (README, "writing an exercise").
3. Otherwise the pristine copy a student command took (``.course/pristine/<id>.py``), when there is one.
4. Otherwise the build stops, naming the file and how to get its stub back.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from coursekit._practice.stubs import STUB_MARK, pristine_copy_path
from coursekit.registry import Exercise


class StubError(ValueError):
    """No pristine stub could be found for an exercise; the message says where the kit looked."""


@dataclass(frozen=True)
class Stub:
    text: str
    source: str  # for people: "git HEAD", "exercises/threads/x.py", ".course/pristine/threads/x.py"
    note: str = ""  # set when the file in exercises/ was not used although it exists: why


def _committed(root: Path, relative: str) -> str | None:
    """The file as committed (HEAD), or None: not a git checkout, no git, not tracked, or no commit yet."""
    try:
        proc = subprocess.run(["git", "-C", str(root), "show", f"HEAD:./{relative}"],  # noqa: S607 - the user's git
                              capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", "replace")


def pristine_stub(exercise: Exercise) -> Stub:
    """The stub to build ``exercise``'s notebook from (see the module's rule)."""
    path = exercise.exercise_path
    relative = path.relative_to(exercise.root).as_posix()
    working = path.read_text(encoding="utf-8") if path.is_file() else None
    committed = _committed(exercise.root, relative)
    if committed is not None:
        note = "" if working is None or working == committed else (
            f"{relative} has changes that are not committed; the notebook is built from the committed stub "
            "(commit them to build from them)")
        return Stub(committed, "git HEAD", note)
    if working is not None and STUB_MARK in working:
        return Stub(working, relative)
    copy = pristine_copy_path(exercise)
    if copy.is_file():
        note = f"{relative} is no stub any more (it does not raise {STUB_MARK})" if working is not None else ""
        return Stub(copy.read_text(encoding="utf-8"), copy.relative_to(exercise.root).as_posix(), note)
    if working is None:
        raise StubError(f"{exercise.id}: no stub at {path}")
    raise StubError(f"{exercise.id}: {relative} is no stub any more (it does not raise {STUB_MARK}: solved?), and "
                    f"no pristine version was found (the file is not committed to git, and there is no "
                    f"{copy.relative_to(exercise.root).as_posix()}). Put the stub back in {relative} (from where the "
                    "course is published), or commit it, then build again.")


__all__ = ["Stub", "StubError", "pristine_stub"]
