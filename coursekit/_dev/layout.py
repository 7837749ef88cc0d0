"""The registry and the files agree: every entry has its files, hints and grader; no file is left outside.

The rule for files: every ``.py`` file under ``exercises/``, ``solutions/`` and ``graders/`` belongs to a
registered exercise (``<folder>/<id>.py``).  Other files (``README.md`` lessons, data) are fine anywhere.  A
grader may need helper code: put it in ``graders/`` in a module whose name starts with ``_`` (for example
``graders/threads/_queues.py``); those are the only ``.py`` files allowed outside the registry.  Catalogue
folders (``tests/catalogue/<id>/``) must belong to a registered exercise too.
"""

from __future__ import annotations

from pathlib import Path

from coursekit._dev.catalogue import KINDS, catalogue_dir
from coursekit.grading import GraderError, load_grader
from coursekit.registry import Course

AREAS = ("exercises", "solutions", "graders")
MIN_HINTS = 2


def _is_helper(area: str, path: Path) -> bool:
    return area == "graders" and path.name.startswith("_")


def layout_problems(course: Course) -> list[str]:
    """Everything about the registry and the files that is wrong, each with how to fix it (cheap: no grading)."""
    out: list[str] = []
    root = course.root
    registered = {ex.id for ex in course.exercises}
    for ex in course.exercises:
        for label, path in (("stub", ex.exercise_path), ("reference solution", ex.solution_path),
                            ("grader", ex.grader_path)):
            if not path.is_file():
                out.append(f"{ex.id}: the {label} {path.relative_to(root)} is missing. Create it, or remove the "
                           f"entry from course.toml (then `course new {ex.id}` makes all three from a template).")
        if len(ex.hints) < MIN_HINTS:
            out.append(f"{ex.id}: course.toml gives {len(ex.hints)} hint(s); give {MIN_HINTS} or 3 progressive hints "
                       "(from a nudge to nearly the answer) in its `hints = [...]`.")
        if ex.grader_path.is_file():
            try:
                load_grader(ex)
            except GraderError as exc:
                out.append(f"{ex.id}: {exc}")
            except Exception as exc:  # noqa: BLE001 - the grader module itself does not import
                out.append(f"{ex.id}: the grader {ex.grader_path.relative_to(root)} fails to import: "
                           f"{type(exc).__name__}: {exc}. Fix the grader module.")
    for area in AREAS:
        base = root / area
        for path in sorted(base.rglob("*.py")) if base.is_dir() else []:
            if "__pycache__" in path.parts or _is_helper(area, path):
                continue
            ex_id = path.relative_to(base).with_suffix("").as_posix()
            if ex_id not in registered:
                out.append(f"{path.relative_to(root)} belongs to no exercise in course.toml. Register "
                           f"{ex_id!r} there, or delete or move the file"
                           + (" (a grader's helper module must be named _something.py)." if area == "graders"
                              else "."))
    cat = catalogue_dir(course)
    if cat.is_dir():
        for kind_dir in sorted(cat.glob("*/*/*")):
            if kind_dir.is_dir() and kind_dir.name in KINDS:
                ex_id = kind_dir.parent.relative_to(cat).as_posix()
                if ex_id not in registered:
                    out.append(f"{kind_dir.relative_to(root)} is the catalogue of {ex_id!r}, which course.toml does "
                               "not list. Rename the folder after a registered id, or delete it.")
    return out
