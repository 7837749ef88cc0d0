"""Gradebooks for LMSs (``course grade --roster``), per-check visibility, and the Gradescope ``setup.sh``.

No LMS is reachable from here: the files are checked against the layouts in the module docs of
``coursekit/_bulk/lms.py`` and ``coursekit/_bulk/gradebook.py``.  A class of three students and one exercise is
graded once per module; the roster matching is tested on its own, without grading.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from coursekit._bulk.lms import Lms, MatchRule, RosterError, load_roster, match_roster

ROOT = Path(__file__).resolve().parent.parent
THREADS = "threads/numbers_letters_threads"
CORRECT = ROOT / "tests/catalogue/threads/numbers_letters_threads/correct/thread_objects.py"
WRONG = ROOT / "tests/catalogue/threads/numbers_letters_threads/wrong/sequential.py"  # 2 of 10 points (runs, output)

CANVAS_ROSTER = """\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,\
Numbers and letters with two threads (4711),Current Score
    Points Possible,,,,,10,
"Smith, Bob",102,S002,bob.smith@uni.edu,Section A,,
"Liddell, Alice",101,S001,alice,Section A,,
"Dodo, Dan",103,S003,dan,Section B,,
"""
MOODLE_ROSTER = """username,firstname,lastname,email,idnumber
alice,Alice,Liddell,Alice@Uni.edu,1001
bsmith,Bob,Smith,Bob.Smith@uni.edu,1002
dan,Dan,Dodo,dan@uni.edu,1003
"""


def course(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "coursekit", *args], cwd=cwd, env=env, capture_output=True,
                          check=False, text=True, timeout=600)


def put(folder: Path, student: str, source: Path) -> None:
    path = folder / student / f"{THREADS}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(source.read_bytes())


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lms") / "class"
    put(folder, "alice", CORRECT)
    put(folder, "Bob.Smith", WRONG)
    put(folder, "stranger", WRONG)
    return folder


def roster_file(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- matching, without grading ------------------------------------------------------------------------------
def test_matching_is_exact_then_case_insensitive_then_email_local_part(tmp_path):
    roster = load_roster(roster_file(tmp_path, "username,email\nAnn,ann@x.org\nbob,BOB@x.org\ncy,Cy.Lee@x.org\n"),
                         "email")
    rm = match_roster(roster, ["ann@x.org", "bob@X.ORG", "cy.lee", "nobody"])
    assert {(m.student, m.entry.line, m.rule) for m in rm.matches} == {
        ("ann@x.org", 2, MatchRule.EXACT), ("bob@X.ORG", 3, MatchRule.CASE_INSENSITIVE),
        ("cy.lee", 4, MatchRule.EMAIL_LOCAL_PART)}
    assert [u.student for u in rm.unmatched_submissions] == ["nobody"] and not rm.unmatched_roster


def test_an_ambiguous_id_matches_nothing_and_is_listed(tmp_path):
    roster = load_roster(roster_file(tmp_path, "email\nann@x.org\nann@y.org\nzed@x.org\n"))
    rm = match_roster(roster, ["ann", "Zed", "zed", "zed@x.org"])
    assert [(m.student, m.rule) for m in rm.matches] == [("zed@x.org", MatchRule.EXACT)]
    roster = load_roster(roster_file(tmp_path, "email\nann@x.org\nann@y.org\nzed@x.org\n"))
    rm = match_roster(roster, ["ann", "Zed", "zed"])
    assert rm.matches == ()  # two ids for one row: neither is guessed
    reasons = {u.student: u.reason for u in rm.unmatched_submissions}
    assert set(reasons) == {"ann", "Zed", "zed"} and "lines 2, 3" in reasons["ann"] and "'zed'" in reasons["Zed"]
    assert [e.line for e in rm.unmatched_roster] == [2, 3, 4]
    assert len(rm.problems()) == 6  # every student without a partner, on either side


def test_the_id_column_is_detected_or_named(tmp_path):
    canvas = load_roster(roster_file(tmp_path, CANVAS_ROSTER))
    assert canvas.lms is Lms.CANVAS and [e.cells["ID"] for e in canvas.entries] == ["102", "101", "103"]
    assert match_roster(canvas, ["S001", "S003"]).column == "SIS User ID"  # the column that matches the most
    moodle = load_roster(roster_file(tmp_path, MOODLE_ROSTER), "IDNUMBER")
    assert moodle.lms is Lms.MOODLE and match_roster(moodle, ["1002"]).column == "idnumber"
    with pytest.raises(RosterError, match=r"'login' is not a column of .*roster.csv.*username, firstname"):
        load_roster(roster_file(tmp_path, MOODLE_ROSTER), "login")
    with pytest.raises(RosterError, match="no column identifies a student"):
        load_roster(roster_file(tmp_path, "name,grade\nann,1\n"))


# -- the gradebooks, through `course grade --roster` --------------------------------------------------------
def test_canvas_csv_has_canvas_import_layout(klass, tmp_path):
    roster = roster_file(tmp_path, CANVAS_ROSTER)
    out = tmp_path / "out"
    done = course("grade", str(klass), "--out", str(out), "--exercise", THREADS, "--jobs", "2", "--roster",
                  str(roster))
    assert done.returncode == 0, done.stderr
    assert (out / "canvas.csv").read_text(encoding="utf-8") == (
        "Student,ID,SIS User ID,SIS Login ID,Section,Numbers and letters with two threads (4711)\n"
        "Points Possible,,,,,10\n"
        '"Smith, Bob",102,S002,bob.smith@uni.edu,Section A,2\n'
        '"Liddell, Alice",101,S001,alice,Section A,10\n'
        '"Dodo, Dan",103,S003,dan,Section B,\n')
    assert not (out / "moodle.csv").exists()
    assert "unmatched: submission 'stranger'" in done.stderr and "roster line 5 (SIS Login ID 'dan')" in done.stderr
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "<h2>Roster</h2>" in report and "submission &#x27;stranger&#x27;" in report
    match = (out / "roster-match.csv").read_text(encoding="utf-8").splitlines()
    assert match[1:3] == ["Bob.Smith,3,bob.smith@uni.edu,email local part", "alice,4,alice,exact"]
    first = (out / "canvas.csv").read_bytes()
    again = course("grade", str(klass), "--out", str(out), "--exercise", THREADS, "--roster", str(roster))
    assert again.returncode == 0 and (out / "canvas.csv").read_bytes() == first  # deterministic bytes


def test_moodle_csv_keeps_the_rosters_spelling(klass, tmp_path):
    out = tmp_path / "out"
    done = course("grade", str(klass), "--out", str(out), "--exercise", THREADS, "--jobs", "2", "--roster",
                  str(roster_file(tmp_path, MOODLE_ROSTER)), "--roster-id-column", "email")
    assert done.returncode == 0, done.stderr
    assert (out / "moodle.csv").read_text(encoding="utf-8") == (
        f"email,{THREADS}\nAlice@Uni.edu,10\nBob.Smith@uni.edu,2\ndan@uni.edu,\n")
    assert not (out / "canvas.csv").exists() and "'stranger'" in done.stderr


def test_a_bad_roster_fails_before_grading(klass, tmp_path):
    done = course("grade", str(klass), "--out", str(tmp_path / "out"), "--roster",
                  str(roster_file(tmp_path, "name\nann\n")))
    assert done.returncode != 0 and "no column identifies a student" in done.stderr
    assert not (tmp_path / "out").exists()


# -- per-check visibility -----------------------------------------------------------------------------------
def _with_visibility(ex: Any, visibility: dict[str, str]) -> Any:
    if "visibility" in {f.name for f in dataclasses.fields(ex)}:
        return dataclasses.replace(ex, visibility=visibility)
    copy = dataclasses.replace(ex)  # a registry without the field yet: the gradebook reads it with getattr
    object.__setattr__(copy, "visibility", visibility)
    return copy


def _graded(klass: Path, tmp_path: Path, visibility: dict[str, str]) -> Any:
    from coursekit._bulk import grade_class
    from coursekit.registry import load_course

    whole = load_course(ROOT)
    ex = _with_visibility(whole.get(THREADS), visibility)
    return grade_class(dataclasses.replace(whole, exercises=(ex,)), klass, tmp_path / "out", jobs=2)


def test_visibility_in_results_json_and_feedback(klass, tmp_path):
    from coursekit._bulk import write_all
    from coursekit._bulk.report import render

    result = _graded(klass, tmp_path, {"overlap": "hidden", "join": "after_due_date"})
    write_all(result, tmp_path / "out")
    bob = tmp_path / "out" / "Bob.Smith"
    data = json.loads((bob / "results.json").read_text(encoding="utf-8"))
    shown = {t["name"].split(" :: ")[1].split(" ")[0]: t["visibility"] for t in data["tests"]}
    assert shown == {"runs": "visible", "output": "visible", "timing": "visible", "order": "visible",
                     "model": "visible", "overlap": "hidden", "join": "after_due_date"}
    assert data["visibility"] == "hidden" and data["score"] == 2  # the total is hidden, and still counts them
    overlap = next(t for t in data["tests"] if " :: overlap " in t["name"])
    assert overlap["output"]  # Gradescope shows a hidden test's output to instructors only

    student = (bob / "feedback.md").read_text(encoding="utf-8")
    instructor = (bob / "feedback-instructor.md").read_text(encoding="utf-8")
    assert "**Total: 2 / 10**" in student and "**Total: 2 / 10**" in instructor
    assert "| overlap:" not in student and "**overlap**" not in student and "| join:" not in student
    assert "- 1 more check (2 points): hidden" in student and "- 1 more check (2 points): shown after the due" \
        in student
    assert "| overlap: the workers really run at the same time | 0 / 2 | failed (hidden for students) |" in instructor
    assert "**overlap**" in instructor
    assert 'href="Bob.Smith/feedback-instructor.md"' in render(result)


def test_after_due_date_alone_delays_the_total_and_all_visible_writes_no_instructor_copy(klass, tmp_path):
    from coursekit._bulk import write_all
    from coursekit._bulk.gradebook import gradescope_results

    later = _graded(klass, tmp_path, {"join": "after_due_date"})
    assert gradescope_results(later, later.students[0])["visibility"] == "after_due_date"
    plain = _graded(klass, tmp_path, {})
    assert gradescope_results(plain, plain.students[0])["visibility"] == "visible"
    (tmp_path / "plain").mkdir()
    write_all(plain, tmp_path / "plain")
    assert not list((tmp_path / "plain").rglob("feedback-instructor.md"))


# -- Gradescope's setup.sh ----------------------------------------------------------------------------------
def _script(name: str) -> str:
    tree = ast.parse((ROOT / "coursekit/_bulk/gradescope.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name:
            value = ast.literal_eval(node.value)
            assert isinstance(value, str)
            return value
    raise AssertionError(name)


@pytest.fixture()
def setup_sh(tmp_path: Path) -> Path:
    path = tmp_path / "source" / "setup.sh"
    path.parent.mkdir()
    path.write_text(_script("SETUP_SH"), encoding="utf-8")
    return path


def fake_pythons(folder: Path, **versions: str) -> Path:
    """``python3="3.10"`` makes ``folder/python3`` print 3.10 for any ``-c`` program (the version check's)."""
    folder.mkdir(exist_ok=True)
    for name, version in versions.items():
        exe = folder / name.replace("_", ".")
        exe.write_text(f"#!/bin/sh\necho {version}\n")
        exe.chmod(0o755)
    return folder


def run_setup(setup_sh: Path, path: Path, *args: str, os_release: str = "") -> subprocess.CompletedProcess[str]:
    release = setup_sh.parent / "os-release"
    release.write_text(os_release)
    env = {"PATH": str(path), "COURSEKIT_SETUP_DRY_RUN": "1", "COURSEKIT_OS_RELEASE": str(release),
           "COURSEKIT_VENV": "/opt/venv"}
    return subprocess.run(["/bin/bash", str(setup_sh), *args], env=env, capture_output=True, text=True,
                          check=False, timeout=60)


def test_setup_and_run_autograder_are_valid_bash(setup_sh):
    for name in ("SETUP_SH", "RUN_AUTOGRADER"):
        path = setup_sh.parent / name
        path.write_text(_script(name), encoding="utf-8")
        done = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, (name, done.stderr)


def test_setup_refuses_python_3_10(setup_sh, tmp_path):
    bin_ = fake_pythons(tmp_path / "bin", python3="3.10")
    done = run_setup(setup_sh, bin_, "--check-python")
    assert done.returncode == 3 and "no Python >= 3.11" in done.stderr
    fake_pythons(bin_, python3_11="3.11")
    done = run_setup(setup_sh, bin_, "--check-python")
    assert done.returncode == 0 and done.stdout.strip() == str(bin_ / "python3.11")
    fake_pythons(bin_, python3="3.12")
    assert run_setup(setup_sh, bin_, "--check-python").stdout.strip() == str(bin_ / "python3")


def test_setup_installs_python_3_11_on_ubuntu_22_04(setup_sh, tmp_path):
    bin_ = fake_pythons(tmp_path / "bin", python3="3.10")
    done = run_setup(setup_sh, bin_, os_release='NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="22.04"\n')
    assert done.returncode == 0, done.stderr
    assert "+ apt-get install -y --no-install-recommends python3.11 python3.11-venv" in done.stdout
    assert "-m venv /opt/venv" in done.stdout and "+ /opt/venv/bin/python -m pip install --no-cache-dir ." \
        in done.stdout


def test_setup_uses_ubuntu_24_04s_python_and_refuses_other_images(setup_sh, tmp_path):
    bin_ = fake_pythons(tmp_path / "bin", python3="3.12")
    done = run_setup(setup_sh, bin_, os_release="ID=ubuntu\nVERSION_ID=\"24.04\"\n")
    assert done.returncode == 0, done.stderr
    assert "apt-get install" not in done.stdout and f"+ {bin_ / 'python3'} -m venv /opt/venv" in done.stdout
    old = fake_pythons(tmp_path / "old", python3="3.8")
    done = run_setup(setup_sh, old, os_release="ID=ubuntu\nVERSION_ID=\"20.04\"\n")
    assert done.returncode == 1 and "Ubuntu 24.04" in done.stderr
