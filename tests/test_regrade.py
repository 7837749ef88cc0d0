"""An infrastructure failure is "not gradable, regrade", never a verdict (README "Isolation", issue 13).

A full disk (the supervisor's own observation), a run the machine failed while others passed, a reference
solution the machine failed twice: the class always completes with exit code 0, the affected files get no
verdict (status ``error``, a message that says it is not the student's doing, ``run_info["regrade"]``), nothing
of them is cached, every other student's result is what it would have been, and the next run grades them.
The references run first, one at a time, before any student's run.
"""

from __future__ import annotations

import functools
import importlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit._judge import runner
from coursekit._judge.sandbox import Sandbox
from coursekit.cli import main as cli
from coursekit.registry import load_course
from coursekit.results import Status

bulk = importlib.import_module("coursekit._bulk.grade_class")  # the package exports a function of that name
ROOT = Path(__file__).resolve().parent.parent
THREADS = "threads/numbers_letters_threads"
CORRECT = ROOT / "tests/catalogue/threads/numbers_letters_threads/correct/thread_objects.py"
WRONG = ROOT / "tests/catalogue/threads/numbers_letters_threads/wrong/sequential.py"


def _class(tmp_path: Path) -> Path:
    klass = tmp_path / "class"
    for student, source in (("ann", CORRECT), ("ben", WRONG), ("victim", CORRECT)):
        (klass / student / "threads").mkdir(parents=True)
        shutil.copy(source, klass / student / f"{THREADS}.py")
    (klass / "victim" / "threads" / "numbers_letters_threads.py").write_text(
        CORRECT.read_text() + "\n# the victim's own copy\n")  # a file of its own: graded on its own
    return klass


def _grade(klass: Path, out: Path) -> bulk.ClassResult:
    return bulk.grade_class(load_course(ROOT), klass, out, jobs=1, exercise_ids=(THREADS,))


def _scores(result: bulk.ClassResult) -> dict[str, tuple[float, str]]:
    return {sr.student: (sr.exercises[THREADS].score, sr.how[THREADS]) for sr in result.students}


@pytest.fixture(scope="module")
def honest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[float, str]]:
    base = tmp_path_factory.mktemp("honest")
    return _scores(_grade(_class(base), base / "out"))


def test_a_full_disk_makes_every_run_a_regrade_and_nothing_is_cached(tmp_path, monkeypatch, honest):
    klass = _class(tmp_path)
    # the supervisor finds less free space than the runs need: as a full disk would look to it
    monkeypatch.setattr(bulk, "Sandbox", functools.partial(Sandbox, min_free_mb=1 << 40))
    attempts = []
    real_get = bulk.ReferenceCache.get
    monkeypatch.setattr(bulk.ReferenceCache, "get",
                        lambda self, ex, gr: attempts.append(ex.id) or real_get(self, ex, gr))
    done = CliRunner().invoke(cli, ["grade", str(klass), "--out", str(tmp_path / "out"), "--exercise", THREADS,
                                    "--jobs", "1"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert "could not be graded (the machine failed their run, not the student)" in done.output
    assert attempts.count(THREADS) == bulk.REFERENCE_ATTEMPTS  # retried, then every student: regrade
    data = json.loads((tmp_path / "out" / "ann" / "results.json").read_text(encoding="utf-8"))
    assert data["score"] == 0 and data["extra_data"]["runs"][THREADS]["regrade"] is True
    assert all(t["status"] == "failed" for t in data["tests"])  # Gradescope knows passed/failed only
    feedback = (tmp_path / "out" / "ann" / "feedback.md").read_text(encoding="utf-8")
    assert "not your fault" in feedback and "graded again" in feedback
    assert not list((tmp_path / "out" / ".cache").glob("*.json")), "a regrade was cached as a verdict"
    monkeypatch.undo()
    again = _grade(klass, tmp_path / "out")  # the disk has room again: everything is graded, as it should be
    assert _scores(again) == honest


def test_a_run_the_machine_failed_is_a_regrade_and_the_others_are_unchanged(tmp_path, monkeypatch, honest):
    klass = _class(tmp_path)
    real_run = runner.run

    def run(spec: runner.RunSpec) -> runner.RawRun:
        if "victim" in spec.module.read_text():
            raise runner.InfrastructureError("the supervisor of the run ended without a report")
        return real_run(spec)

    monkeypatch.setattr(runner, "run", run)
    result = _grade(klass, tmp_path / "out")
    scores = _scores(result)
    assert scores["victim"] == (0.0, "regrade") and result.regrades == 1
    verdict = next(sr for sr in result.students if sr.student == "victim").exercises[THREADS]
    assert {c.status for c in verdict.checks} == {Status.ERROR} and verdict.run_info["regrade"]
    assert {s: v for s, v in scores.items() if s != "victim"} == {s: v for s, v in honest.items() if s != "victim"}
    cached = {p.stem for p in (tmp_path / "out" / ".cache").glob("*.json")}
    victim_key = next(sr for sr in result.students if sr.student == "victim").keys[THREADS]
    assert victim_key not in cached and len(cached) == 2
    monkeypatch.undo()
    assert _scores(_grade(klass, tmp_path / "out"))["victim"] == (honest["victim"][0], "graded")


def test_references_run_first_alone_and_are_retried(tmp_path, monkeypatch, honest):
    klass = _class(tmp_path)
    solution = load_course(ROOT).get(THREADS).solution_path.resolve()
    calls: list[str] = []
    failures = iter([True, True])  # the machine fails the reference's first two runs
    real_run = runner.run

    def run(spec: runner.RunSpec) -> runner.RawRun:
        reference = spec.module.resolve() == solution
        calls.append("reference" if reference else "student")
        if reference and next(failures, False):
            raise runner.InfrastructureError("could not start the harness")
        return real_run(spec)

    monkeypatch.setattr(runner, "run", run)
    result = _grade(klass, tmp_path / "out")
    assert _scores(result) == honest and result.regrades == 0
    first_student = calls.index("student")
    assert calls[:first_student] == ["reference"] * 3 and "reference" not in calls[first_student:]


def test_what_counts_as_the_machines_failure():
    assert runner.infrastructure_failure({"infrastructure": "disk full"}) == "disk full"
    assert runner.infrastructure_failure({"supervisor_lost": True}) != ""
    # the guard saw the program signal its supervisor: the program's doing, judged as tampering
    assert runner.infrastructure_failure({"supervisor_lost": True, "guard": [{"kind": "kill"}]}) == ""
    assert runner.infrastructure_failure({"timed_out": True, "returncode": -9}) == ""
