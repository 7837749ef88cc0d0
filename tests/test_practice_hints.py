"""Hints chosen by the mistake: a syntax error gets advice about the syntax error (not the exercise's first hint),
a run() instead of start() gets the hint about run() and start(), in ``course hint``, watch mode and feedback.md
alike; every ``hints_for`` key of the course names a check or a finding kind."""

from __future__ import annotations

import shutil

import pytest
from _course_copy import ROOT, copy_course
from click.testing import CliRunner

from coursekit._bulk.gradebook import _exercise_feedback
from coursekit._judge.diagnose import FINDING_KINDS
from coursekit._judge.messages import CHECK_FINDING_KINDS
from coursekit._practice import hints
from coursekit.cli import main
from coursekit.grading import grade_exercise, load_grader
from coursekit.registry import load_course
from coursekit.results import ExerciseResult

EX = "threads/numbers_letters_threads"
COURSE = load_course(ROOT)
WRONG = ROOT / "tests" / "catalogue" / EX / "wrong"
BROKEN = "def main(:\n    pass\n"


@pytest.fixture
def course(tmp_path, monkeypatch):
    for name in ("FORCE_COLOR", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    root = copy_course(tmp_path / "course")
    monkeypatch.chdir(root)
    return root


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_a_syntax_error_gets_advice_about_syntax_not_the_first_hint(tmp_path):
    ex = COURSE.get(EX)
    path = tmp_path / "broken.py"
    path.write_text(BROKEN)
    result = grade_exercise(ex, path)
    assert all("syntax" in c.findings for c in result.checks)
    choice = hints.choose_for(ex, result)
    assert choice.key == "syntax" and "cannot read" in choice.hints[0]
    feedback = "\n".join(_exercise_feedback(ex, result, "graded", True, False))
    assert "Hint: Python stops at the first line it cannot read" in feedback, feedback
    assert ex.hints[0] not in feedback


def test_a_mistake_with_its_own_hint_gets_it_and_the_rest_get_the_general_hints(tmp_path):
    ex = COURSE.get(EX)
    run_not_start = grade_exercise(ex, WRONG / "run_instead_of_start.py")
    assert hints.choose_for(ex, run_not_start).key == "run-not-start"
    assert "t.start()" in "\n".join(_exercise_feedback(ex, run_not_start, "graded", True, False))
    nothing = hints.choose(ex, ["output"], [])  # a failure with no finding and no check hint: the general ones
    assert nothing.key == "" and nothing.hints == ex.hints
    assert hints.choose(ex, ["output"], ["deadlock", "run-not-start"]).key == "run-not-start"  # first known kind
    assert hints.choose_for(ex, ExerciseResult(ex.id, [])).hints == ex.hints


def test_course_hint_follows_the_last_check(course):
    stub = (course / "exercises" / f"{EX}.py").read_text()
    (course / "exercises" / f"{EX}.py").write_text(BROKEN)
    assert run("check", EX).exit_code == 1
    out = run("hint", EX).output
    assert "Hint 1/1 for this mistake (syntax): Python stops at the first line" in out, out
    assert COURSE.get(EX).hints[0] not in out
    again = run("hint", EX).output  # the mistake's hints are all shown: the exercise's own come next
    assert f"Hint 1/{len(COURSE.get(EX).hints)}: {COURSE.get(EX).hints[0]}" in again, again
    (course / "exercises" / f"{EX}.py").write_text(stub)
    shutil.copyfile(WRONG / "run_instead_of_start.py", course / "exercises" / f"{EX}.py")
    run("check", EX)
    assert "for this mistake (run-not-start)" in run("hint", EX).output


def test_every_hints_for_key_names_a_check_or_a_finding_kind():
    for ex in COURSE.exercises:
        checks = [c.name for c in load_grader(ex).checks]
        assert hints.unknown_keys(ex, checks, (*FINDING_KINDS, *CHECK_FINDING_KINDS)) == [], ex.id
    assert any(ex.hints_for for ex in COURSE.exercises)
