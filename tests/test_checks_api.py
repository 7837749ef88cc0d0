"""The check-author API: what ``coursekit.checks`` exports, that it is documented, and that it imports light.

A grader module is imported inside the student's process when it has a driver, and every grader starts with
``from coursekit.grading import Grader`` and ``from coursekit import checks``.  Those two imports must load the
check classes and nothing of the judge that runs, isolates or builds runs (runner, sandbox, supervisor,
timeline builder, picture, views).
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from coursekit import checks

ALLOWED_JUDGE = {"coursekit._judge", "coursekit._judge.diagnose", "coursekit._judge.findings",
                 "coursekit._judge.moments", "coursekit._judge.pairing"}
"""The judge modules a grader may load: findings, tolerances, line pairing and the detectors (all pure)."""


def _loaded_by(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\nprint(json.dumps(sorted("
                          "m for m in sys.modules if m.startswith('coursekit'))))"],
                         capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout.splitlines()[-1])


def test_importing_the_checks_and_the_grader_loads_no_runner_nor_sandbox():
    loaded = _loaded_by("import coursekit.checks, coursekit.grading")
    assert "coursekit.checks" in loaded and "coursekit.grading" in loaded
    judge = {m for m in loaded if m.startswith("coursekit._judge")}
    assert judge <= ALLOWED_JUDGE, f"a grader import loads judge modules {sorted(judge - ALLOWED_JUDGE)}"
    assert not [m for m in loaded if m.startswith(("coursekit._view", "coursekit._bulk", "coursekit._dev",
                                                    "coursekit._cli", "coursekit._practice"))]


def test_every_grader_imports_light():
    """Loading each grader the way the harness does loads nothing more than the checks themselves."""
    from coursekit.registry import load_course

    root = Path(__file__).resolve().parent.parent
    paths = [str(ex.grader_path) for ex in load_course(root).exercises]
    code = (f"import importlib.util\nfor i, p in enumerate({paths!r}):\n"
            "    s = importlib.util.spec_from_file_location(f'grader{i}', p)\n"
            "    s.loader.exec_module(importlib.util.module_from_spec(s))\n")
    judge = {m for m in _loaded_by(code) if m.startswith("coursekit._judge")}
    assert judge <= ALLOWED_JUDGE, f"a grader loads judge modules {sorted(judge - ALLOWED_JUDGE)}"


API = ("Check", "Verdict", "Finding", "OK", "EPS", "ALL_CHECKS", "Timeline", "Line", "diagnose", "FINDING_KINDS",
       "match_lines", "STANDARD")


@pytest.mark.parametrize("name", API)
def test_the_check_author_api_is_exported(name):
    assert name in checks.__all__
    assert getattr(checks, name) is not None


def test_the_timeline_a_check_receives_is_the_judge_s():
    from coursekit._judge.timeline import Line, Timeline

    assert checks.Timeline is Timeline and checks.Line is Line
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = checks.no_such_name


def test_the_contract_is_documented():
    for obj in (checks.Check, checks.Check.evaluate, checks.Verdict, checks.Finding, checks.Finding.text,
                checks.diagnose):
        assert inspect.getdoc(obj), f"{obj.__qualname__} has no docstring"
    for cls in (checks.Verdict, checks.Finding):
        source = inspect.getsource(cls)
        for f in fields(cls):
            assert f'{f.name}: ' in source and _documented(source, f.name), f"{cls.__name__}.{f.name} is undocumented"
    source = inspect.getsource(checks.Check)
    assert _documented(source, "name") and _documented(source, "title")


def _documented(source: str, attribute: str) -> bool:
    """Whether the line that defines ``attribute`` in a class body is followed by a docstring."""
    lines = source.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith((f"{attribute}: ", f"{attribute} = ")):
            return i + 1 < len(lines) and lines[i + 1].strip().startswith('"""')
    return False


def test_all_checks_names_every_shipped_check_by_its_points_key():
    shipped = {obj for name in checks.__all__ if isinstance(obj := getattr(checks, name), type)
               and issubclass(obj, checks.Check) and obj is not checks.Check}
    assert set(checks.ALL_CHECKS.values()) == shipped
    assert all(checks.ALL_CHECKS[cls.name] is cls for cls in shipped)


def test_processed_once_is_exactly_once_under_its_former_name():
    once = checks.ProcessedOnce(r"^done (\d+)", item="item")
    assert isinstance(once, checks.ExactlyOnce)
    assert (once.name, checks.ExactlyOnce("processed ").name) == ("processed_once", "once")
    assert once.title == checks.ExactlyOnce("processed ").title
    with pytest.raises(ValueError, match="group"):
        checks.ProcessedOnce(r"done \d+")
    with pytest.raises(ValueError, match="either the prefix"):
        checks.ExactlyOnce()
