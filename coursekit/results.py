"""Results of grading, as small value objects (presentation lives in ``coursekit._view.text``).

``ExerciseResult.to_dict`` is the JSON form that crosses processes and files (the nbgrader grade cells, the
bulk grading cache); ``ExerciseResult.from_dict`` reads it back, so that the two live side by side and
round-trip exactly, the failure pictures (``CheckResult.lanes``) included.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

RESULTS_VERSION = 1
"""The version ``to_dict`` writes; ``from_dict`` reads only this one."""


class Status(str, enum.Enum):  # noqa: UP042 (a StrEnum would print differently in f-strings)
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # the grader itself could not judge (never the student's fault)


@dataclass(frozen=True)
class CheckResult:
    name: str
    title: str
    status: Status
    points: float
    max_points: float
    message: str = ""  # for the student: what was seen, what was expected, what to change
    timeline: str = ""  # observed against expected, already laid out as text
    lanes: dict[str, Any] = field(default_factory=dict, hash=False)
    """A failure's picture as JSON-able data (``coursekit._judge.picture.summarize``): each run's lanes on a time axis
    and the first divergence, for renderers (terminal, HTML) to draw; empty when there is nothing to draw."""
    findings: tuple[str, ...] = ()
    """The kinds of the likely mistakes its message names (``coursekit._judge.findings.Finding.kind``, e.g.
    ``syntax``, ``not-joined``): what picks the hint a failure gets (``coursekit._practice.hints``)."""

    def to_dict(self) -> dict[str, Any]:
        """This check as JSON-able data (its ``status`` as its value, ``"passed"``), sharing nothing with it."""
        return {"name": self.name, "title": self.title, "status": self.status.value, "points": self.points,
                "max_points": self.max_points, "message": self.message, "timeline": self.timeline,
                "lanes": _copied(self.lanes), "findings": list(self.findings)}  # (a list, as JSON has it)

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "a check result") -> CheckResult:
        """The check ``to_dict`` wrote; a ``ValueError`` naming the missing key or bad status and ``where``."""
        for key, kind in _CHECK_FIELDS.items():
            if key not in data and key in _REQUIRED:
                raise ValueError(f"{where}: no {key!r} (it is not what CheckResult.to_dict writes)")
            if key in data and (not isinstance(data[key], kind) or isinstance(data[key], bool)):
                raise ValueError(f"{where}: {key!r} is {data[key]!r}, not a {_KIND_WORDS[kind]}")
        try:
            status = Status(data["status"])
        except ValueError:
            raise ValueError(f"{where}: status {data['status']!r} is not one of "
                             f"{', '.join(s.value for s in Status)}") from None
        return cls(data["name"], data["title"], status, data["points"], data["max_points"], data.get("message", ""),
                   data.get("timeline", ""), dict(data.get("lanes", {})), tuple(data.get("findings", ())))


def _copied(value: Any) -> Any:
    """A copy of JSON-like data (dicts, lists, tuples and plain values), as ``dataclasses.asdict`` makes of it."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copied(item) for item in value)
    return value


_CHECK_FIELDS: dict[str, type | tuple[type, ...]] = {
    "name": str, "title": str, "status": str, "points": (int, float), "max_points": (int, float), "message": str,
    "timeline": str, "lanes": dict, "findings": (list, tuple)}
_REQUIRED = ("name", "title", "status", "points", "max_points")
_KIND_WORDS: dict[type | tuple[type, ...], str] = {str: "string", (int, float): "number", dict: "table",
                                                   (list, tuple): "list"}


@dataclass(frozen=True)
class ExerciseResult:
    exercise: str
    checks: list[CheckResult] = field(default_factory=list)
    run_info: dict[str, Any] = field(default_factory=dict)  # how the runs went: timeouts, isolation applied

    @property
    def score(self) -> float:
        return sum(c.points for c in self.checks)

    @property
    def max_score(self) -> float:
        return sum(c.max_points for c in self.checks)

    @property
    def passed(self) -> bool:
        return all(c.status is Status.PASSED for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        """This result as JSON-able data, with its ``version``, ``score`` and ``max_score`` (``from_dict`` reads it).

        Built field by field: ``dataclasses.asdict`` copied every check's failure picture twice (once for this
        result, once for the check), and was the most of what bulk grading's cache writes cost the judge."""
        return {"exercise": self.exercise, "checks": [c.to_dict() for c in self.checks],
                "run_info": _copied(self.run_info), "version": RESULTS_VERSION, "score": self.score,
                "max_score": self.max_score}

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "an exercise result") -> ExerciseResult:
        """The result ``to_dict`` wrote (``score`` and ``max_score`` are recomputed from the checks); a ``ValueError``
        naming the bad value and ``where`` the data came from (a file, a process)."""
        version = data.get("version", RESULTS_VERSION)
        if version != RESULTS_VERSION:
            raise ValueError(f"{where}: results version {version!r}; this kit reads version {RESULTS_VERSION}")
        if not isinstance(data.get("exercise"), str) or not isinstance(data.get("checks"), list):
            raise ValueError(f"{where}: needs 'exercise' (a string) and 'checks' (a list), as to_dict writes them")
        checks = [CheckResult.from_dict(c, f"{where}, check #{i}") for i, c in enumerate(data["checks"], start=1)]
        return cls(data["exercise"], checks, dict(data.get("run_info", {})))
