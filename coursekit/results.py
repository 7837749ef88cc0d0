"""Results of grading, as small value objects (presentation lives in ``coursekit._view.text``)."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

RESULTS_VERSION = 1


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
        data = asdict(self)
        data["version"] = RESULTS_VERSION
        data["score"], data["max_score"] = self.score, self.max_score
        for check in data["checks"]:
            check["status"] = check["status"].value
        return data
