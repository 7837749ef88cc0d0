"""No vacuous credit: a submission that does none of the work never scores more than the stub.

The submissions are generated, not listed per exercise: from each exercise's stub, every function it leaves
unwritten (its body raises ``NotImplementedError``) is given a body that does none of the work, in four ways:
an empty body, one that prints only the reference's last line, the same followed by ``os._exit(0)``, and one
that returns the reference's result as a constant (where the entry point's result is a literal).  Each is graded
like a student's file; its total must not pass the stub's (``coursekit.checks._evidence``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coursekit.grading import ReferenceCache, grade_exercise, load_grader
from coursekit.registry import load_course

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
CACHE = ReferenceCache()


def _unwritten(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(n, ast.Raise) and "NotImplementedError" in ast.unparse(n) for n in ast.walk(fn))


def _variants(stub: str, last_line: str, result: object | None) -> dict[str, str]:
    bodies = {
        "empty": "return None",
        "final-line-only": f"print({last_line!r})",
        "final-line-then-exit": f"print({last_line!r})\nimport os\nos._exit(0)",
    }
    if result is not None:
        bodies["right-constant"] = f"return {result!r}"
    out = {}
    for name, body in bodies.items():
        tree = ast.parse(stub)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _unwritten(node):
                node.body = ast.parse(body).body
        out[name] = ast.unparse(tree)
    return out


def _total(exercise, path: Path) -> float:
    return sum(c.points for c in grade_exercise(exercise, path, cache=CACHE).checks)


KNOWN_GAPS: dict[str, str] = {}


def _params() -> list[pytest.param]:
    return [pytest.param(e, id=e.id, marks=[pytest.mark.xfail(reason=KNOWN_GAPS[e.id], strict=True)]
                         if e.id in KNOWN_GAPS else []) for e in COURSE.exercises]


@pytest.mark.parametrize("exercise", _params())
def test_doing_none_of_the_work_scores_no_more_than_the_stub(exercise, tmp_path):
    expected = CACHE.get(exercise, load_grader(exercise))
    try:
        result = ast.literal_eval(expected.result) if expected.result not in (None, "None") else None
    except (ValueError, SyntaxError):
        result = None
    stub_total = _total(exercise, exercise.exercise_path)
    scores = {}
    for name, source in _variants(exercise.exercise_path.read_text(encoding="utf-8"), expected.lines[-1].text,
                                  result).items():
        path = tmp_path / name / exercise.exercise_path.name
        path.parent.mkdir()
        path.write_text(source, encoding="utf-8")
        scores[name] = _total(exercise, path)
    over = {name: score for name, score in scores.items() if score > stub_total}
    assert not over, f"{exercise.id}: doing none of the work scored more than the stub ({stub_total}): {over}"
