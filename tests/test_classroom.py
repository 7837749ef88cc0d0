"""GitHub Classroom: the exported workflow, and its grading command run locally on a student repository.

GitHub Actions is not reachable from here: the workflow is checked for the structure the reporter needs (the
runner's step id, its ``result`` output, ``<RUNNER>_RESULTS``), and the grading command the workflow runs,
``course classroom-result``, is run on a repository and its output decoded as the reporter decodes it.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
THREADS = "threads/numbers_letters_threads"
WRONG = ROOT / "tests/catalogue/threads/numbers_letters_threads/wrong/sequential.py"  # 2 of 10 points (runs, output)


def course(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coursekit", *args], cwd=ROOT, capture_output=True, check=False,
                          text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("classroom") / "repo"
    done = course("export", "github-classroom", "--out", str(repo), "--exercise", THREADS,
                  "--course-repo", "uni/concurrency-course")
    assert done.returncode == 0, done.stderr
    return repo


def test_the_export_is_a_student_repository(exported):
    stub = f"exercises/{THREADS}.py"
    assert (exported / stub).read_bytes() == (ROOT / stub).read_bytes()
    assert not (exported / "solutions").exists() and not (exported / "graders").exists()
    assert ".coursekit-course/" in (exported / ".gitignore").read_text()


def test_the_workflow_feeds_the_classroom_reporter(exported):
    flow = yaml.safe_load((exported / ".github/workflows/classroom.yml").read_text(encoding="utf-8"))
    assert flow["on"] == ["push", "repository_dispatch"] and flow["permissions"]["checks"] == "write"
    steps = flow["jobs"]["run-autograding-tests"]["steps"]
    course_checkout = next(s for s in steps if s.get("with", {}).get("path") == ".coursekit-course")
    assert course_checkout["with"]["repository"] == "uni/concurrency-course"
    assert course_checkout["with"]["token"] == "${{ secrets.COURSEKIT_COURSE_TOKEN }}"  # noqa: S105 - a reference
    grade = next(s for s in steps if s.get("id") == "coursekit")
    assert grade["run"].startswith("course classroom-result") and "--github-output" in grade["run"]
    assert f"--exercise {THREADS}" in grade["run"]
    reporter = steps[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["with"]["runners"] == "coursekit"
    assert reporter["env"]["COURSEKIT_RESULTS"] == "${{steps.coursekit.outputs.result}}"


def test_the_grading_command_reports_points_per_check(exported, tmp_path):
    (exported / "exercises" / f"{THREADS}.py").write_bytes(WRONG.read_bytes())
    output = tmp_path / "github_output"
    done = course("classroom-result", str(exported), "--exercise", THREADS, "--github-output",
                  env={"GITHUB_OUTPUT": str(output)})
    assert done.returncode == 0, done.stderr
    encoded = done.stdout.strip()
    assert output.read_text() == f"result={encoded}\n"
    data = json.loads(base64.b64decode(encoded))
    assert data["version"] == 1 and data["status"] == "fail" and data["max_score"] == 10
    assert [set(t) for t in data["tests"]] == [{"name", "status", "score", "message", "test_code", "filename",
                                               "line_no", "duration"}] * 7

    from coursekit._bulk.grade_class import grade_class
    from coursekit.registry import load_course

    klass = tmp_path / "class" / "someone" / "threads"
    klass.mkdir(parents=True)
    (klass / "numbers_letters_threads.py").write_bytes(WRONG.read_bytes())
    verdict = grade_class(load_course(ROOT), tmp_path / "class", tmp_path / "out", jobs=1,
                          exercise_ids=(THREADS,)).students[0].exercises[THREADS]
    by_check = {t["name"].split(" :: ")[1].split(" ")[0]: t for t in data["tests"]}
    assert {n: t["score"] for n, t in by_check.items()} == {c.name: c.points for c in verdict.checks}
    assert sum(t["score"] for t in data["tests"]) == verdict.score == 2  # not split evenly across the tests
    assert all(t["message"] for t in data["tests"] if t["status"] == "fail")
    assert "# Feedback" in done.stderr  # the student reads why in the Actions log


def test_hidden_checks_are_folded_into_one_test(tmp_path):
    from coursekit._bulk.classroom import decode, encode, runner_result
    from coursekit._bulk.grade_class import ClassResult, StudentResult
    from coursekit._bulk.intake import Submission
    from coursekit.registry import load_course
    from coursekit.results import CheckResult, ExerciseResult, Status

    ex = load_course(ROOT).get(THREADS)
    import dataclasses

    if "visibility" in {f.name for f in dataclasses.fields(ex)}:
        ex = dataclasses.replace(ex, visibility={"overlap": "hidden", "join": "after_published"})
    else:
        object.__setattr__(ex, "visibility", {"overlap": "hidden", "join": "after_published"})
    checks = [CheckResult(name, name, Status.FAILED if name == "overlap" else Status.PASSED,
                          0.0 if name == "overlap" else pts, pts, "secret" if name == "overlap" else "")
              for name, pts in ex.points.items()]
    sr = StudentResult("s", Submission("s", "folder"), {ex.id: ExerciseResult(ex.id, checks)}, {ex.id: "graded"})
    data = decode(encode(runner_result(ClassResult(load_course(ROOT), [ex], {}, [sr], []), sr)))
    assert [t["name"] for t in data["tests"]][-1] == f"{THREADS} :: hidden checks (2)"
    hidden = data["tests"][-1]
    assert hidden["score"] == ex.points["join"] and hidden["status"] == "fail" and hidden["message"] == ""
    assert "secret" not in json.dumps(data) and sum(t["score"] for t in data["tests"]) == 8
