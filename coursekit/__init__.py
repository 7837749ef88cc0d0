"""coursekit: exercises that teach threading, multiprocessing and asyncio, graded exactly on virtual time.

Importing this package is cheap and has no side effects: the harness imports it inside student processes
before anything else, so the public names below are loaded only when first used.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["CheckResult", "Course", "Exercise", "ExerciseResult", "Status", "grade_exercise", "load_course"]

_PUBLIC = {
    "Course": "coursekit.registry",
    "Exercise": "coursekit.registry",
    "load_course": "coursekit.registry",
    "grade_exercise": "coursekit.grading",
    "Status": "coursekit.results",
    "CheckResult": "coursekit.results",
    "ExerciseResult": "coursekit.results",
}


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'coursekit' has no attribute {name!r}")
