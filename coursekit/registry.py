"""``course.toml``: the one registry of the course.  Every path is derived from an exercise's id.

An exercise ``threads/numbers_letters_threads`` lives at ``exercises/threads/numbers_letters_threads.py``, its
reference solution at ``solutions/threads/...``, its grader at ``graders/threads/...``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit._judge.runner import MODELS, Limits

REGISTRY = "course.toml"
ID_RE = re.compile(r"^[a-z][a-z0-9_]*/[a-z][a-z0-9_]*$")
FOLDER_MODEL = {"threads": "threads", "processes": "processes", "coroutines": "coroutines"}


class RegistryError(ValueError):
    """``course.toml`` says something the kit cannot use; the message names the value and its place."""


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    model: str
    order: int
    points: dict[str, float]
    hints: tuple[str, ...]
    limits: Limits
    root: Path

    @property
    def exercise_path(self) -> Path:
        return self.root / "exercises" / f"{self.id}.py"

    @property
    def solution_path(self) -> Path:
        return self.root / "solutions" / f"{self.id}.py"

    @property
    def grader_path(self) -> Path:
        return self.root / "graders" / f"{self.id}.py"

    @property
    def max_points(self) -> float:
        return sum(self.points.values())


@dataclass(frozen=True)
class Course:
    root: Path
    id: str
    title: str
    exercises: tuple[Exercise, ...]

    def get(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise KeyError(exercise_id)

    def by_path(self, path: Path) -> Exercise | None:
        resolved = path.resolve()
        for ex in self.exercises:
            if ex.exercise_path.resolve() == resolved:
                return ex
        return None


def find_root(start: Path) -> Path | None:
    for folder in [start.resolve(), *start.resolve().parents]:
        if (folder / REGISTRY).is_file():
            return folder
    return None


def load_course(root: Path) -> Course:
    path = root / REGISTRY
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from None
    meta = data.get("course", {})
    defaults = data.get("limits", {})
    exercises = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("exercise", []), start=1):
        where = f"{path}, exercise #{i}"
        exercises.append(_exercise(raw, i, where, defaults, root.resolve()))
        if exercises[-1].id in seen:
            raise RegistryError(f"{where}: id {exercises[-1].id!r} is listed twice")
        seen.add(exercises[-1].id)
    return Course(root.resolve(), str(meta.get("id", "course")), str(meta.get("title", "")), tuple(exercises))


def _exercise(raw: dict[str, Any], order: int, where: str, defaults: dict[str, Any], root: Path) -> Exercise:
    ex_id = raw.get("id")
    if not isinstance(ex_id, str) or not ID_RE.match(ex_id):
        raise RegistryError(f"{where}: id {ex_id!r} must look like 'threads/my_exercise' (folder/name, lowercase)")
    where = f"{where} ({ex_id})"
    folder = ex_id.split("/")[0]
    model = raw.get("model", FOLDER_MODEL.get(folder))
    if model not in MODELS:
        raise RegistryError(f"{where}: model {model!r} must be one of {MODELS}")
    points = raw.get("points")
    if not isinstance(points, dict) or not points:
        raise RegistryError(f"{where}: 'points' must map each check name to its points, e.g. {{ runs = 1 }}")
    for name, value in points.items():
        if not isinstance(value, (int, float)) or value < 0:
            raise RegistryError(f"{where}: points for check {name!r} must be a number >= 0, not {value!r}")
    hints = raw.get("hints", [])
    if not isinstance(hints, list) or not all(isinstance(h, str) and h.strip() for h in hints):
        raise RegistryError(f"{where}: 'hints' must be a list of non-empty strings")
    try:
        limits = Limits.from_mapping({**defaults, **raw.get("limits", {})}, where)
    except (TypeError, ValueError) as exc:
        raise RegistryError(str(exc)) from None
    title = raw.get("title")
    if not isinstance(title, str) or not title:
        raise RegistryError(f"{where}: 'title' is missing")
    return Exercise(ex_id, title, model, order, {k: float(v) for k, v in points.items()}, tuple(hints), limits, root)
