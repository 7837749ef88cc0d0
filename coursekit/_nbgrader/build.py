"""``course nbgrader build``: write an nbgrader course directory from ``course.toml``.

Layout written (everything else in the folder is nbgrader's own and left alone)::

    COURSE_DIR/nbgrader_config.py           rewritten by every build, from what source/ holds
    COURSE_DIR/source/<assignment>/<name>.ipynb   one notebook per exercise
    COURSE_DIR/grading/                     course.toml, graders/, solutions/: what grading needs, copied

The grade cells find ``grading/`` by walking up from the notebook to ``nbgrader_config.py``, so grading works
in ``source/`` (the instructor trying a notebook) and in ``autograded/<student>/<assignment>/`` alike, and
keeps working when the whole folder moves; nothing in ``grading/`` is ever released to students.  A notebook
is plain nbformat 4.5 JSON, written without nbformat so that building needs no Jupyter package.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit._nbgrader.cells import answer_source, demo_lines, lesson_markdown
from coursekit._nbgrader.kernel import GRADING_DIR, module_name
from coursekit._nbgrader.stubs import Stub, StubError, pristine_stub
from coursekit.grading import Grader, load_grader
from coursekit.registry import Course, Exercise

ASSIGNMENT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
NBGRADER_IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]  # nbgrader's defaults, kept
GRADING_PARTS = ("graders", "solutions")  # with course.toml: all that grade_exercise reads besides the answer


class BuildError(ValueError):
    """The build cannot go on; the message names the value and where it came from."""


@dataclass(frozen=True)
class Built:
    exercise: Exercise
    notebook: Path
    stub: Stub  # what the notebook was built from (never the instructor's edits: see _nbgrader/stubs.py)


def default_assignment(course: Course) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", course.id).strip("-_") or "course"


def build(course: Course, course_dir: Path, assignment: str, exercises: list[Exercise]) -> list[Built]:
    """Write the notebooks of ``exercises`` into ``source/<assignment>/``, the grading copy and the config."""
    if not ASSIGNMENT_RE.match(assignment):
        raise BuildError(f"--assignment {assignment!r}: use letters, digits, '_' and '-' only (nbgrader uses it "
                         "as a folder name and an id)")
    names: dict[str, str] = {}
    for ex in exercises:
        other = names.setdefault(module_name(ex.id), ex.id)
        if other != ex.id:
            raise BuildError(f"{other} and {ex.id} would both be {module_name(ex.id)}.ipynb in assignment "
                             f"{assignment!r}: put them in different assignments (--assignment, --exercise)")
    grading = course_dir / GRADING_DIR
    if grading.exists() and not (grading / "course.toml").is_file():  # never delete a folder we did not make
        raise BuildError(f"{grading} exists and is not a grading copy (it has no course.toml): move it away")
    stubs = {}
    for ex in exercises:
        try:
            stubs[ex.id] = pristine_stub(ex)
        except StubError as exc:
            raise BuildError(str(exc)) from None
    notebooks = [(ex, _notebook(ex, load_grader(ex), stubs[ex.id])) for ex in exercises]  # check all, then write
    target = course_dir / "source" / assignment
    target.mkdir(parents=True, exist_ok=True)
    built = []
    for ex, nb in notebooks:
        path = target / f"{module_name(ex.id)}.ipynb"
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        built.append(Built(ex, path, stubs[ex.id]))
    _copy_grading(course, grading)
    (course_dir / "nbgrader_config.py").write_text(config_text(course, course_dir), encoding="utf-8")
    return built


def _copy_grading(course: Course, dest: Path) -> None:
    """A fresh copy of what grading reads, so that the nbgrader course keeps grading when the kit course moves."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(course.root / "course.toml", dest / "course.toml")
    for part in GRADING_PARTS:
        if (course.root / part).is_dir():
            shutil.copytree(course.root / part, dest / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


# ---------------------------------------------------------------------------------------------------- notebook


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: float | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"schema_version": 3, "grade": grade, "solution": solution, "locked": locked,
                            "grade_id": grade_id}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _cell(kind: str, cell_id: str, source: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": kind, "id": cell_id, "metadata": metadata or {},
                            "source": source.splitlines(keepends=True)}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _notebook(ex: Exercise, grader: Grader, pristine: Stub) -> dict[str, Any]:
    if not ex.solution_path.is_file():
        raise BuildError(f"{ex.id}: no reference solution at {ex.solution_path}")
    stub = pristine.text
    stub_name = str(ex.exercise_path) if pristine.source != "git HEAD" else f"{ex.exercise_path} (as committed)"
    answer = answer_source(stub, ex.solution_path.read_text(encoding="utf-8"),
                           stub_name=stub_name, solution_name=str(ex.solution_path))
    cells = [
        _cell("markdown", "lesson", lesson_markdown(ex.title, stub) + "\n\n" + _how_to(ex, grader, stub),
              _meta("lesson", locked=True)),
        _cell("code", "setup", "# Read-only: the course kit's notebook support (%%answer below, the tests at the end)."
              "\n%load_ext coursekit._nbgrader.kernel", _meta("setup", locked=True)),
        _cell("code", "answer", f"%%answer {ex.id}\n{answer}", _meta("answer", solution=True)),
        _cell("code", "try-it", "# Try your code here (run the answer cell first), for example:\n"
              + "".join(f"# {line}\n" for line in _try_lines(ex, grader, stub))),
        _cell("markdown", "tests", _tests_intro(ex), _meta("tests", locked=True)),
    ]
    for check in grader.checks:
        points = ex.points[check.name]
        cells.append(_cell("code", f"check-{check.name}",
                           f"# Test [{check.name}], {points:g} point{'s' if points != 1 else ''}: {check.title}\n"
                           "from coursekit._nbgrader.kernel import check\n"
                           f"check({ex.id!r}, {check.name!r}, {points:g})",
                           _meta(f"check_{check.name}", grade=True, locked=True, points=points)))
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "coursekit": {"exercise": ex.id},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _call(grader: Grader) -> str | None:
    if grader.driver is not None:
        return None
    return f"{grader.call}({', '.join(repr(a) for a in grader.args)})"


def _try_lines(ex: Exercise, grader: Grader, stub: str) -> list[str]:
    """How to run the answer in the notebook: the stub's own demo (its ``__main__`` block), made to work here."""
    name, call = module_name(ex.id), _call(grader)
    lines = demo_lines(stub) or ([call] if call else [])
    if ex.model == "coroutines":  # the kernel's loop is running: top-level await instead of asyncio.run
        lines = [re.sub(r"^asyncio\.run\((.*)\)$", r"await \1", line) for line in lines]
    elif ex.model == "processes":  # a fresh interpreter that imports the saved module file
        if not (lines and all(re.fullmatch(r"\w+\([^\"]*\)", line) for line in lines)):
            lines = [call or "your_function()"]
        lines = [f"!python -c \"import {name}; " + "; ".join(f"{name}.{line}" for line in lines) + "\""]
    return lines or ["your_function()"]


def _how_to(ex: Exercise, grader: Grader, stub: str) -> str:
    name = module_name(ex.id)
    parts = ["## In this notebook",
             (f"Write your code in the **answer cell** below. Keep its first line, `%%answer {ex.id}`: it saves "
              f"the cell as `{name}.py` beside this notebook and runs it here the way an import would (so an "
              "`if __name__ == \"__main__\":` block does not run).")]
    if ex.model == "coroutines":
        why = ("in a new cell, with top-level `await`: the notebook already runs an event loop, so "
               "`asyncio.run(...)` fails here (it is right in a `.py` file)")
    elif ex.model == "processes":
        why = (f"from the saved file `{name}.py`, in a fresh interpreter: child processes need their functions in "
               "a module file (functions defined only in the notebook cannot be sent to `spawn` or `forkserver` "
               "processes, and what children print may not show in the notebook)")
    else:
        why = "in a new cell (sleeps take real time here; the grader runs your code on a virtual clock)"
    parts.append(f"**Try it** {why}:\n\n```python\n" + "\n".join(_try_lines(ex, grader, stub)) + "\n```")
    if ex.hints:
        parts.append("\n".join(f"<details><summary>Hint {i}</summary>\n\n{hint}\n\n</details>"
                               for i, hint in enumerate(ex.hints, start=1)))
    return "\n\n".join(parts)


def _tests_intro(ex: Exercise) -> str:
    rows = "\n".join(f"| `{name}` | {points:g} |" for name, points in ex.points.items())
    return ("## Autograder tests (read-only)\n\n"
            "One cell per check, each worth its points. They grade the answer cell with the course's own grader, "
            "in a fresh interpreter on a virtual clock, once for all the cells; a failing check says what was "
            "observed, what was expected and what to change. They need the course's graders, so they give "
            "points when your instructor grades the notebook.\n\n"
            f"| check | points |\n|---|---|\n{rows}\n| **total** | **{ex.max_points:g}** |")


# ---------------------------------------------------------------------------------------------------- config


def execution_timeout(exercises: list[Exercise]) -> int:
    """nbgrader's per-cell timeout (s): long enough for the slowest grading (every run of a grading ends within
    the exercise's ``wall_s``, the runs go side by side, and the interpreter has to start), short enough that
    an answer cell stuck in the kernel does not hold up the batch for long."""
    wall = max((ex.limits.wall_s for ex in exercises), default=30.0)
    return math.ceil(2 * wall) + 10


def _built_exercises(course: Course, course_dir: Path) -> dict[str, list[Exercise]]:
    """Per assignment in source/, the course exercises whose notebooks are there (by notebook metadata)."""
    found: dict[str, list[Exercise]] = {}
    for nb in sorted((course_dir / "source").glob("*/*.ipynb")):
        try:
            exercise_id = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["coursekit"]["exercise"]
            found.setdefault(nb.parent.name, []).append(course.get(exercise_id))
        except (ValueError, KeyError, TypeError):  # not one of ours, or no longer in course.toml
            continue
    return found


def config_text(course: Course, course_dir: Path) -> str:
    built = _built_exercises(course, course_dir)
    modules = sorted({f"{module_name(ex.id)}.py" for exs in built.values() for ex in exs})
    overwrite = {a: sorted(f"{module_name(ex.id)}.py" for ex in exs) for a, exs in sorted(built.items())}
    everything = [ex for exs in built.values() for ex in exs]
    walls = ", ".join(f"{w:g}" for w in sorted({ex.limits.wall_s for ex in everything})) or "30"
    return f'''\
# nbgrader configuration, written by `course nbgrader build` (coursekit) from course.toml and the notebooks in
# source/. Every build rewrites it: change course.toml and build again rather than editing it here.
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = {course.id!r}

# The answer cell saves the student's code as <exercise>.py beside the notebook (so that processes and a fresh
# interpreter can import it). Those files are copies of answer cells: never release, collect or copy them
# (the instructor's copy in source/ would hold the reference solution), and never overwrite a student's copy
# with the one in source/ when autograding. Grading reads the answer cell itself.
c.CourseDirectory.ignore = {NBGRADER_IGNORE + modules!r}
c.Autograde.exclude_overwriting = {overwrite!r}

# Seconds a cell may run: grading one answer stays within the exercises' wall-clock limit (wall_s = {walls} s
# in course.toml) plus the start of a fresh interpreter. An answer cell stuck in an endless loop is interrupted
# after this long; its tests then score 0, and autograding goes on with the next notebook.
c.Execute.timeout = {execution_timeout(everything)}
c.Execute.interrupt_on_timeout = True
# After that interrupt, the kernel must report within this long, or nbgrader gives up on the student's whole
# submission instead of scoring the notebook 0; nbgrader's default (4 s) is too short on a busy machine.
c.Execute.iopub_timeout = {execution_timeout(everything)}
'''
