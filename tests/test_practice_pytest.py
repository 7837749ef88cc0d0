"""A learner's first ``pytest`` in a fresh clone: one screenful that leads with what to do next, every other
exercise on one line; ``pytest -v`` still one test per check; a bare ``pytest`` grades the exercises while
``python -m pytest`` stays the kit's own test command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _course_copy import ROOT, copy_course

from coursekit.registry import load_course

COURSE = load_course(ROOT)
N_CHECKS = sum(len(ex.points) for ex in COURSE.exercises)


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A fresh clone: the stubs, plus the kit's pyproject.toml and one test of its own."""
    root = copy_course(tmp_path_factory.mktemp("clone") / "course")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "tests").mkdir()
    (root / "tests" / "test_kit_itself.py").write_text("def test_the_kits_own_suite():\n    pass\n")
    return root


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "PYTEST_ADDOPTS", "FORCE_COLOR", "PY_COLORS")}
    env["PYTHONPATH"] = str(ROOT)
    env["COLUMNS"] = "80"
    return env


def _pytest(root: Path, *args: str, module: bool = True, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("pytest")
    command = [sys.executable, "-m", "pytest", *args] if module else [str(script), *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, env=env or _env(), check=False,
                          timeout=600)


def test_the_first_run_leads_with_the_first_exercise_and_gives_the_others_one_line(clone):
    res = _pytest(clone, "exercises/")
    out = res.stdout
    lines = out.splitlines()
    assert res.returncode == 1, out
    assert len(lines) < 70, out  # it was 520 lines piped
    assert f"{N_CHECKS} failed" in lines[-1], lines[-1]
    assert "(the same as [" not in out and "FAILED " not in out, out
    first = COURSE.exercises[0]
    head = out.index("what to do next")
    assert out.index(f"Next: #1 {first.id}", head) < out.index("Every exercise", head)
    assert out.count("Not written yet") == len(COURSE.exercises) + 1  # the first whole, then each on its line
    listing = lines[next(i for i, line in enumerate(lines) if line.startswith("Every exercise")) + 1:]
    for ex in COURSE.exercises:
        name = ex.id.rsplit("/", 1)[-1]
        row = [line for line in listing if f" {name} " in line]
        assert len(row) == 1 and "Not written yet" in row[0], (name, listing)
    assert all(len(line) <= 80 for line in lines[head:]), out


def test_pytest_verbose_and_ci_still_report_every_check(clone):
    verbose = _pytest(clone, "exercises/", "-v")
    assert verbose.stdout.count(" FAILED") >= N_CHECKS, verbose.stdout
    assert "what to do next" not in verbose.stdout
    env = _env()
    env["CI"] = "true"
    ci = _pytest(clone, "exercises/coroutines/", "--junitxml", str(clone / "junit.xml"), env=env)
    assert "what to do next" not in ci.stdout and "FAILURES" in ci.stdout
    assert (clone / "junit.xml").read_text().count("<testcase") == sum(
        len(ex.points) for ex in COURSE.exercises if ex.id.startswith("coroutines/"))


def test_bare_pytest_grades_the_exercises_and_python_m_pytest_runs_the_kits_tests(clone):
    bare = _pytest(clone, "--collect-only", "-q", module=False)
    assert f"{N_CHECKS} tests collected" in bare.stdout, bare.stdout
    assert "test_kit_itself" not in bare.stdout
    assert "the kit's own tests: python -m pytest" in _pytest(clone, "--collect-only", module=False).stdout
    kit = _pytest(clone, "--collect-only", "-q")
    assert "tests/test_kit_itself.py::test_the_kits_own_suite" in kit.stdout and "exercises/" not in kit.stdout
    named = _pytest(clone, "tests", "--collect-only", "-q", module=False)
    assert "1 test collected" in named.stdout, named.stdout
