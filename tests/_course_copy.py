"""A throw-away copy of the course for tests that edit exercises (the repository's own files stay untouched)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("course.toml", "conftest.py", "exercises", "solutions", "graders")


def copy_course(dest: Path) -> Path:
    """Copy what a learner's clone has (registry, stubs, solutions, graders) into ``dest``; returns it."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest
