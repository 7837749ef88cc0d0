"""A grader's driver calls the student's module in the student's process; its output and return are judged."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coursekit.grading import GraderError, ReferenceCache, grade_exercise
from coursekit.registry import load_course
from coursekit.results import Status

GRADER = '''
from coursekit import checks
from coursekit.grading import Grader


def drive(module):
    """Call add() twice with the grader's own inputs; print and return what it gives."""
    first = module.add(1, 2)
    print(f"add(1, 2) = {first}")
    return [first, module.add(40, 2)]


grader = Grader(checks=(checks.Runs(), checks.Output(), checks.Returns("the driver")), driver=drive)
'''

SOLUTION = '''
import time


def add(a, b):
    time.sleep(1)
    return a + b
'''


def make_course(tmp_path: Path, grader: str = GRADER) -> Path:
    (tmp_path / "course.toml").write_text(textwrap.dedent('''
        [course]
        id = "t"
        [[exercise]]
        id = "threads/adder"
        title = "Adder"
        points = { runs = 1, output = 1, returns = 2 }
        hints = ["add them"]
    '''), encoding="utf-8")
    for folder, text in (("solutions", SOLUTION), ("exercises", SOLUTION), ("graders", grader)):
        (tmp_path / folder / "threads").mkdir(parents=True)
        (tmp_path / folder / "threads" / "adder.py").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_driver_output_and_return_value_are_compared_with_the_reference(tmp_path):
    exercise = load_course(make_course(tmp_path)).get("threads/adder")
    cache = ReferenceCache()
    good = grade_exercise(exercise, exercise.solution_path, cache=cache)
    assert good.passed, good.checks

    wrong = tmp_path / "wrong.py"
    wrong.write_text(SOLUTION.replace("return a + b", "return a * b"), encoding="utf-8")
    result = {c.name: c for c in grade_exercise(exercise, wrong, cache=cache).checks}
    assert result["runs"].status is Status.PASSED
    assert result["output"].status is Status.FAILED and "'add(1, 2) = 2'" in result["output"].message
    assert result["returns"].status is Status.FAILED
    assert "returned [2, 80]; expected [3, 42]" in result["returns"].message


def test_driver_must_be_a_function_of_the_grader_module(tmp_path):
    broken = GRADER.replace("driver=drive", "driver=print")
    exercise = load_course(make_course(tmp_path, broken)).get("threads/adder")
    with pytest.raises(GraderError, match="driver print"):
        grade_exercise(exercise, exercise.solution_path, cache=ReferenceCache())
