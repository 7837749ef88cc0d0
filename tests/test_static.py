"""Static checks, enforced by the suite: ruff and mypy, as configured in pyproject.toml, find nothing.

Both run as subprocesses of the interpreter that runs the tests (``python -m ruff`` / ``python -m mypy``), on
the whole repository, and write nothing into it (no ruff cache, no mypy cache).  They come with the ``dev``
extra (``pip install -e '.[dev]'``); without them these tests skip, except on CI, where they fail.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing on CI: .ci/run installs the dev extra (pip install -e '.[dev]')")
        pytest.skip(f"{tool} is not installed (pip install -e '.[dev]')")
    return subprocess.run([sys.executable, "-m", tool, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)


def test_ruff_finds_nothing():
    proc = _run("ruff", "check", "--no-cache", ".")
    assert proc.returncode == 0, f"ruff check found problems:\n{proc.stdout}\n{proc.stderr}"


def test_mypy_finds_nothing():
    # --cache-dir=/dev/null: mypy writes no cache (a cold run takes a few seconds).
    proc = _run("mypy", "--cache-dir=/dev/null")
    assert proc.returncode == 0, f"mypy found problems:\n{proc.stdout}\n{proc.stderr}"
    assert "Success: no issues found" in proc.stdout, proc.stdout
