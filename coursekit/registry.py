"""``course.toml``: the one registry of the course, read and validated here and nowhere else.

Every path is derived from an exercise's id: ``threads/numbers_letters_threads`` lives at
``exercises/threads/numbers_letters_threads.py``, its reference solution at ``solutions/threads/...``, its grader
at ``graders/threads/...``.

Why every key is checked: a typo in a hand-written registry (``pionts = ...``, ``hint = [...]``) used to load
with no error and surface later as a puzzling "0 hint(s)" or a missing check.  Now a key this module does not
know is an error that names the key, the exercise and the nearest known key.  Every key is documented where it
is parsed (as rustlings documents ``info.toml`` in ``info_file.rs``):

Top level
    ``format_version`` (int, optional, default 1)
        The version of this file's format.  The kit reads the versions in ``FORMAT_VERSIONS``; any other value
        is an error, so an old kit never half-reads a newer course.
    ``[course]``: ``id`` (str, default ``"course"``: the nbgrader course id, the Gradescope archive name) and
        ``title`` (str, default empty).
    ``[limits]``: defaults for every exercise's ``limits`` (the fields of ``Limits``).
    ``[[exercise]]``: one table per exercise, in course order.

Each ``[[exercise]]``
    ``id`` (str, required): ``folder/name``, lowercase; gives every path.
    ``title`` (str, required): shown by ``course list`` and at the top of every report.
    ``model`` (str, optional): one of ``MODELS``; default: the model whose folder is the id's folder
        (``coursekit.models.ConcurrencyModel.folder``).
    ``points`` (table, required): check name -> points (a number >= 0); the grader's checks must match it.
    ``hints`` (list of str, optional): progressive hints, from a nudge to nearly the answer.
    ``hints_for`` (table, optional): hints for one mistake: a check name (``join``) or a finding kind
        (``not-joined``, ``syntax``: ``coursekit._judge.diagnose.FINDING_KINDS``) -> a hint or a list of hints.
        A failure gets the hints of its first finding kind named here, else of its first failed check named
        here, else ``hints`` (``coursekit._practice.hints``, whose ``unknown_keys`` names a key that is
        neither; the kit's tests run it on this course).
    ``limits`` (table, optional): overrides of ``[limits]`` for this exercise.
    ``visibility`` (table, optional): check name -> ``Visibility`` value, when a student sees that check's
        result on Gradescope; every check not named is ``visible``.  Each name must be a key of ``points``.
    ``accept_mutants`` (list of tables, optional): mutants ``course dev check`` may let through, each
        ``{ op = "...", code = "...", reason = "..." }`` (``MutantAcceptance``).  The operator names are checked
        by ``course dev check``, which knows its operators (``coursekit._dev.mutate.OPERATOR_NAMES``).
"""

from __future__ import annotations

import difflib
import enum
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit.models import MODEL_NAMES
from coursekit.models import MODELS as _MODELS

REGISTRY = "course.toml"
ID_RE = re.compile(r"^[a-z][a-z0-9_]*/[a-z][a-z0-9_]*$")

MODELS: tuple[str, ...] = MODEL_NAMES
"""The names a ``model`` may take (``coursekit.models`` holds what each one means)."""

FORMAT_VERSION = 1
"""The version of ``course.toml`` written by ``course new`` and assumed when ``format_version`` is absent."""
FORMAT_VERSIONS: tuple[int, ...] = (1,)
"""Every ``format_version`` this kit reads."""

TOP_KEYS = ("format_version", "course", "limits", "exercise")
COURSE_KEYS = ("id", "title")
EXERCISE_KEYS = ("id", "title", "model", "points", "hints", "hints_for", "limits", "visibility", "accept_mutants")
ACCEPTANCE_KEYS = ("op", "code", "reason")


class RegistryError(ValueError):
    """``course.toml`` says something the kit cannot use; the message names the value and its place."""


@dataclass(frozen=True)
class Limits:
    """How far a run may go.  Virtual seconds cost nothing; the real-time limits are generous backstops."""

    virtual_s: float = 120.0  # virtual time after which the run is stopped (an endless loop with sleeps)
    stall_s: float = 5.0  # real seconds without a hand-over between threads (a busy loop, a blocking call)
    wall_s: float = 30.0  # real seconds for the whole child process tree
    memory_mb: int = 1024  # address space each process of a run may use, in MiB (past it, allocations fail)
    max_events: int = 20_000  # printed lines and other events; past that, the run is a flood
    output_kb: int = 4096  # bytes a run may write to a file (stdout included)
    schedules: int = 6
    """Schedules a submission is run under (``coursekit._engine.exploration``): first-come and last-come ties,
    then, for threads and asyncio, round robin and seeded PCT schedules; a check passes only under every one."""

    def __post_init__(self) -> None:
        if isinstance(self.schedules, bool) or not isinstance(self.schedules, int) or not 1 <= self.schedules <= 64:
            raise ValueError(f"limit 'schedules' must be a whole number from 1 to 64, not {self.schedules!r}")

    @classmethod
    def from_mapping(cls, data: dict[str, Any], where: str) -> Limits:
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{where}: unknown limit(s) {sorted(unknown)}; known limits are {sorted(known)}")
        return cls(**data)


class Visibility(enum.StrEnum):
    """When a student sees a check's result on Gradescope (Gradescope's own words for ``visibility``)."""

    VISIBLE = "visible"
    HIDDEN = "hidden"
    AFTER_DUE_DATE = "after_due_date"
    AFTER_PUBLISHED = "after_published"


VISIBILITIES: tuple[str, ...] = tuple(v.value for v in Visibility)


@dataclass(frozen=True)
class MutantAcceptance:
    """One ``accept_mutants`` entry: a mutant the grader may accept, and why that is fine."""

    op: str
    """The mutation operator's name (``course dev check --list-operators``)."""
    code: str | None
    """The line of the reference solution where the mutation is made, as written; ``None``: every such mutant."""
    reason: str
    """Why accepting it is fine, for the next instructor who reads the registry."""
    where: str = field(default="", compare=False)
    """The entry's place in ``course.toml``, for error messages."""


@dataclass(frozen=True)
class Exercise:
    """One ``[[exercise]]`` of ``course.toml``, validated; its files are found from its ``id``."""

    id: str
    title: str
    model: str
    order: int
    """Its 1-based position in ``course.toml`` (course order)."""
    points: dict[str, float]
    hints: tuple[str, ...]
    limits: Limits
    root: Path
    """The course folder (where ``course.toml`` is)."""
    visibility: Mapping[str, Visibility] = field(default_factory=dict)
    """Every check of ``points`` -> when students see its result on Gradescope (``visible`` unless it says)."""
    accept_mutants: tuple[MutantAcceptance, ...] = ()
    hints_for: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """A check name or finding kind -> the hints for that mistake (``hints_for`` in ``course.toml``)."""

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
    """The whole registry: the course's id and title and its exercises in course order."""

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


def folder_model(folder: str) -> str | None:
    """The model whose exercises live in ``folder`` by default (``threads`` -> ``threads``), or None."""
    return next((m.name for m in _MODELS.values() if m.folder == folder), None)


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds a ``course.toml``."""
    for folder in [start.resolve(), *start.resolve().parents]:
        if (folder / REGISTRY).is_file():
            return folder
    return None


def unknown_key_error(key: str, known: Iterable[str], path: Path, place: str) -> RegistryError:
    """``<path>: unknown key 'pionts' in exercise threads/x (did you mean 'points'?)``, or the known keys when
    none is near; ``place`` says where in the file (``in exercise threads/x``, ``at the top level``)."""
    known = tuple(known)
    near = difflib.get_close_matches(key, known, n=1)
    advice = f"did you mean {near[0]!r}?" if near else f"the known keys are {', '.join(known)}"
    return RegistryError(f"{path}: unknown key {key!r} {place} ({advice})")


def _known_keys(table: Mapping[str, Any], known: tuple[str, ...], path: Path, place: str) -> None:
    """Raise for the first key of ``table`` that is not in ``known``."""
    for key in table:
        if key not in known:
            raise unknown_key_error(key, known, path, place)


def _table(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RegistryError(f"{what} must be a table, not {value!r}")
    return value


def load_course(root: Path) -> Course:
    """Read and validate ``root/course.toml``; a ``RegistryError`` naming the first bad value and its place."""
    path = root / REGISTRY
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from None
    _known_keys(data, TOP_KEYS, path, "at the top level")
    _format_version(data.get("format_version", FORMAT_VERSION), path)
    meta = _table(data.get("course", {}), f"{path}: [course]")
    _known_keys(meta, COURSE_KEYS, path, "in [course]")
    defaults = _table(data.get("limits", {}), f"{path}: [limits]")
    raw_exercises = data.get("exercise", [])
    if not isinstance(raw_exercises, list):
        raise RegistryError(f"{path}: 'exercise' must be a list of [[exercise]] tables, not {raw_exercises!r}")
    exercises = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_exercises, start=1):
        where = f"{path}, exercise #{i}"
        exercises.append(_exercise(_table(raw, where), i, path, defaults, root.resolve()))
        if exercises[-1].id in seen:
            raise RegistryError(f"{where}: id {exercises[-1].id!r} is listed twice")
        seen.add(exercises[-1].id)
    return Course(root.resolve(), str(meta.get("id", "course")), str(meta.get("title", "")), tuple(exercises))


def _format_version(value: Any, path: Path) -> None:
    if isinstance(value, bool) or value not in FORMAT_VERSIONS:
        readable = ", ".join(str(v) for v in FORMAT_VERSIONS)
        raise RegistryError(f"{path}: format_version = {value!r} is not a version this kit reads (it reads "
                            f"{readable}); upgrade coursekit, or write format_version = {FORMAT_VERSION}")


def _exercise(raw: dict[str, Any], order: int, path: Path, defaults: dict[str, Any], root: Path) -> Exercise:
    where = f"{path}, exercise #{order}"
    ex_id = raw.get("id")
    named = isinstance(ex_id, str) and bool(ID_RE.match(ex_id))
    _known_keys(raw, EXERCISE_KEYS, path, f"in exercise {ex_id}" if named
                else f"in exercise #{order} (it has no valid id)")
    if not isinstance(ex_id, str) or not named:
        raise RegistryError(f"{where}: id {ex_id!r} must look like 'threads/my_exercise' (folder/name, lowercase)")
    where = f"{where} ({ex_id})"
    folder = ex_id.split("/")[0]
    model = raw.get("model", folder_model(folder))
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
        limits = Limits.from_mapping({**defaults, **_table(raw.get("limits", {}), f"{where}: 'limits'")}, where)
    except (TypeError, ValueError) as exc:
        raise RegistryError(str(exc)) from None
    title = raw.get("title")
    if not isinstance(title, str) or not title:
        raise RegistryError(f"{where}: 'title' is missing")
    visibility = _visibility(raw.get("visibility", {}), points, where)
    accepted = _acceptances(raw.get("accept_mutants", []), f"{path}, exercise {ex_id!r}, accept_mutants")
    return Exercise(ex_id, title, model, order, {k: float(v) for k, v in points.items()}, tuple(hints), limits, root,
                    visibility, accepted, _hints_for(raw.get("hints_for", {}), where))


def _hints_for(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    """``hints_for``: each key (a check name or finding kind) -> its hints, a string or a list of strings."""
    out: dict[str, tuple[str, ...]] = {}
    for key, value in _table(raw, f"{where}: 'hints_for'").items():
        hints = [value] if isinstance(value, str) else value
        if not isinstance(hints, list) or not hints or not all(isinstance(h, str) and h.strip() for h in hints):
            raise RegistryError(f"{where}: hints_for.{key} must be a hint or a list of hints (non-empty strings), "
                                f"not {value!r}")
        out[str(key)] = tuple(hints)
    return out


def _visibility(raw: Any, points: dict[str, Any], where: str) -> dict[str, Visibility]:
    """Every check of ``points`` -> its visibility; the named ones must be checks, with one of Gradescope's values."""
    table = _table(raw, f"{where}: 'visibility'")
    values = ", ".join(VISIBILITIES)
    for name, value in table.items():
        if name not in points:
            near = difflib.get_close_matches(name, list(points), n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"its checks are {', '.join(points)}"
            raise RegistryError(f"{where}: visibility names check {name!r}, which is not in its points ({hint})")
        if not isinstance(value, str) or value not in VISIBILITIES:
            raise RegistryError(f"{where}: visibility of check {name!r} must be one of {values}, not {value!r}")
    return {name: Visibility(table.get(name, Visibility.VISIBLE)) for name in points}


def _acceptances(raw: Any, where: str) -> tuple[MutantAcceptance, ...]:
    """The ``accept_mutants`` entries, each with an ``op``, an optional ``code`` line and a ``reason``."""
    if not isinstance(raw, list):
        raise RegistryError(f"{where}: must be a list of {{ op = ..., code = ..., reason = ... }}")
    out = []
    for i, item in enumerate(raw, start=1):
        place = f"{where} #{i}"
        if not isinstance(item, dict) or not isinstance(item.get("op"), str) or not item["op"]:
            got = item.get("op") if isinstance(item, dict) else item
            raise RegistryError(f"{place}: 'op' must name a mutation operator (course dev check --list-operators), "
                                f"not {got!r}")
        for key in item:
            if key not in ACCEPTANCE_KEYS:
                raise RegistryError(f"{place}: unknown key(s) {sorted(set(item) - set(ACCEPTANCE_KEYS))}; use op, "
                                    "code, reason")
        if not isinstance(item.get("reason"), str) or not item["reason"].strip():
            raise RegistryError(f"{place}: say why this mutant is acceptable in 'reason = \"...\"'")
        code = item.get("code")
        if code is not None and not isinstance(code, str):
            raise RegistryError(f"{place}: 'code' must be the line of the solution, as a string")
        out.append(MutantAcceptance(item["op"], code, item["reason"].strip(), place))
    return tuple(out)


__all__ = ["FORMAT_VERSION", "FORMAT_VERSIONS", "ID_RE", "MODELS", "REGISTRY", "Course", "Exercise", "Limits",
           "MutantAcceptance", "RegistryError", "Visibility", "find_root", "folder_model", "load_course"]
