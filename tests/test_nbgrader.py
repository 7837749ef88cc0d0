"""nbgrader integration: ``course nbgrader build`` and the real nbgrader CLI, end to end.

One temporary nbgrader course (module scope) holds one assignment of the three seed exercises and three
students: ``ref`` (the reference solutions), ``wrong`` (a catalogue mistake per exercise) and ``hang`` (an answer
cell that never finishes, in one notebook only).  It runs ``generate_assignment``, ``autograde`` (one batch),
``generate_feedback`` and ``export`` once; the tests read what they left.  Expected scores never come from typed
numbers: full marks are ``course.toml``'s points, partial marks are what ``grading.grade_exercise`` gives the
same file.  The end-to-end tests need the ``nbgrader`` extra (``pip install -e .[nbgrader]``); the build tests
do not.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit._nbgrader import build, execution_timeout, kernel
from coursekit._nbgrader.cells import BEGIN, END, answer_source
from coursekit.grading import grade_exercise, load_grader
from coursekit.registry import load_course
from coursekit.results import Status

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("threads/numbers_letters_threads", "processes/numbers_letters_processes",
         "coroutines/numbers_letters_asyncio")
WRONG = {  # one classic mistake per model, each losing some checks but not all
    "threads/numbers_letters_threads": "run_instead_of_start",
    "processes/numbers_letters_processes": "no_join",
    "coroutines/numbers_letters_asyncio": "time_sleep_in_coroutine",
}
HANGS = "threads/numbers_letters_threads"
ASSIGNMENT = "ps1"
WALL_S = 10  # the test course's wall-clock limit per run (default 30): it sets nbgrader's cell timeout, the hang's cost
HAVE_NBGRADER = importlib.util.find_spec("nbgrader") is not None
if not HAVE_NBGRADER and os.environ.get("CI"):  # on CI a missing extra is a broken install, never a skip
    raise RuntimeError("the nbgrader extra is missing on CI: .ci/run installs it with pip install -e '.[nbgrader]'")
needs_nbgrader = pytest.mark.skipif(not HAVE_NBGRADER, reason="needs the nbgrader extra: pip install -e .[nbgrader]")
pytestmark = pytest.mark.timeout(900)  # the module's course is built and graded once, inside its first test


def _name(exercise_id: str) -> str:
    return exercise_id.rsplit("/", 1)[1]


def _kit_course(dest: Path) -> Path:
    """A copy of this course reduced to the seed exercises, with a short wall-clock limit."""
    toml = (ROOT / "course.toml").read_text(encoding="utf-8")
    toml, n = re.subn(r"(?m)^wall_s\s*=.*$", f"wall_s = {WALL_S}", toml, count=1)
    assert n == 1, "course.toml's [limits] has no wall_s line to shorten"
    head, *blocks = toml.split("[[exercise]]")
    toml = head + "".join("[[exercise]]" + b for b in blocks if any(f'"{ex_id}"' in b for ex_id in SEEDS))
    dest.mkdir(parents=True)
    (dest / "course.toml").write_text(toml, encoding="utf-8")
    for ex_id in SEEDS:
        for part in ("exercises", "solutions", "graders"):
            target = dest / part / f"{ex_id}.py"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / part / f"{ex_id}.py", target)
    return dest


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != kernel.ENV_VAR}
    # the user's Jupyter config and kernels stay out: the kernel is this interpreter's ipykernel
    env.update(JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"), JUPYTER_DATA_DIR=str(tmp / "jupyter-data"),
               JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"), PYTHONDONTWRITEBYTECODE="1")
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 0, f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def _nbgrader(*args: str, course: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "nbgrader", *args], course, env)


def _no_place(text: str) -> str:
    return re.sub(r"[\w.-]+\.py:\d+", "FILE:LINE", text)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _grade_id(cell: dict) -> str | None:
    return cell["metadata"].get("nbgrader", {}).get("grade_id")


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _submit(course: Path, student: str, answers: dict[str, str]) -> None:
    """Put a student's notebooks in submitted/: the released notebook with the answer cell filled in."""
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for ex_id, code in answers.items():
        nb = json.loads((course / "release" / ASSIGNMENT / f"{_name(ex_id)}.ipynb").read_text(encoding="utf-8"))
        [answer] = [c for c in nb["cells"] if _grade_id(c) == "answer"]
        answer["source"] = f"%%answer {ex_id}\n{code}"
        (folder / f"{_name(ex_id)}.ipynb").write_text(json.dumps(nb), encoding="utf-8")


_GRADES = """
import json, sys
from nbgrader.api import Gradebook
out = {}
with Gradebook("sqlite:///gradebook.db") as gb:
    for student in sys.argv[1:]:
        for nb in gb.find_assignment("%s").notebooks:
            sub = gb.find_submission_notebook(nb.name, "%s", student)
            out.setdefault(student, {})[nb.name] = {g.name: [g.score, g.max_score] for g in sub.grades}
print(json.dumps(out))
""" % (ASSIGNMENT, ASSIGNMENT)  # noqa: UP031 - the script has braces of its own


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Build, release, submit, autograde, feed back and export once; return where everything is."""
    if not HAVE_NBGRADER:
        pytest.skip("needs the nbgrader extra: pip install -e .[nbgrader]")
    tmp = tmp_path_factory.mktemp("nbgrader")
    kit, course, env = _kit_course(tmp / "kit"), tmp / "nbcourse", _env(tmp)
    args = [a for ex_id in SEEDS for a in ("--exercise", ex_id)]
    _run([sys.executable, "-m", "coursekit", "nbgrader", "build", str(course), "--assignment", ASSIGNMENT, *args],
         kit, env)
    # the instructor tried a notebook in source/: its module file holds the reference solution
    (course / "source" / ASSIGNMENT / f"{_name(SEEDS[0])}.py").write_text("SOLUTION = True\n", encoding="utf-8")
    _nbgrader("generate_assignment", ASSIGNMENT, course=course, env=env)
    kit_course = load_course(kit)
    solutions = {ex_id: kit_course.get(ex_id).solution_path.read_text(encoding="utf-8") for ex_id in SEEDS}
    wrong_files = {ex_id: ROOT / "tests" / "catalogue" / ex_id / "wrong" / f"{stem}.py"
                   for ex_id, stem in WRONG.items()}
    _submit(course, "ref", solutions)
    _submit(course, "wrong", {ex_id: path.read_text(encoding="utf-8") for ex_id, path in wrong_files.items()})
    _submit(course, "hang", {HANGS: solutions[HANGS] + "\n\nthreading.Event().wait()  # never returns\n"})
    autograde = _nbgrader("autograde", ASSIGNMENT, course=course, env=env)
    _nbgrader("generate_feedback", ASSIGNMENT, course=course, env=env)
    _nbgrader("export", course=course, env=env)
    grades = json.loads(_run([sys.executable, "-c", _GRADES, "ref", "wrong", "hang"], course, env).stdout)
    kit_wrong = {ex_id: grade_exercise(kit_course.get(ex_id), path) for ex_id, path in wrong_files.items()}
    return {"course": course, "kit": kit_course, "grades": grades, "kit_wrong": kit_wrong,
            "autograde_log": autograde.stdout + autograde.stderr}


# ---------------------------------------------------------------------------------------------- build only


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nbbuild")
    course = load_course(_kit_course(tmp / "kit"))
    out = tmp / "nbcourse"
    build(course, out, "week1", [course.get(ex_id) for ex_id in SEEDS])
    return course, out


@pytest.mark.parametrize("exercise_id", SEEDS)
def test_notebook_has_lesson_answer_and_one_locked_grade_cell_per_check(built, exercise_id):
    course, out = built
    ex = course.get(exercise_id)
    cells = _cells(out / "source" / "week1" / f"{_name(exercise_id)}.ipynb")
    metas = [c["metadata"]["nbgrader"] for c in cells if "nbgrader" in c["metadata"]]
    assert all(m["schema_version"] == 3 for m in metas)
    assert all(set(m) <= {"schema_version", "grade", "solution", "locked", "grade_id", "points"} for m in metas)
    lesson = cells[0]
    assert lesson["cell_type"] == "markdown" and lesson["metadata"]["nbgrader"]["locked"]
    assert ex.title in _source(lesson)
    [answer] = [c for c in cells if c["metadata"].get("nbgrader", {}).get("solution")]
    assert answer["metadata"]["nbgrader"]["grade"] is False
    code = _source(answer)
    assert code.startswith(f"%%answer {exercise_id}\n") and BEGIN in code and END in code
    graded_cells = {m["grade_id"]: m for m in metas if m["grade"]}
    checks = [c.name for c in load_grader(ex).checks]
    assert sorted(graded_cells) == sorted(f"check_{name}" for name in checks)
    assert all(m["locked"] and not m["solution"] for m in graded_cells.values())
    assert {k.removeprefix("check_"): m["points"] for k, m in graded_cells.items()} == ex.points


def test_lessons_say_how_to_try_the_code_in_the_notebook(built):
    _, out = built
    lesson = {ex_id: _source(_cells(out / "source" / "week1" / f"{_name(ex_id)}.ipynb")[0]) for ex_id in SEEDS}
    assert "await main()" in lesson["coroutines/numbers_letters_asyncio"]
    assert "asyncio.run" in lesson["coroutines/numbers_letters_asyncio"]
    assert "numbers_letters_processes.py" in lesson["processes/numbers_letters_processes"]
    assert "!python -c" in lesson["processes/numbers_letters_processes"]
    assert "Check your work" not in lesson["threads/numbers_letters_threads"]  # the files version's advice


def test_config_names_course_timeout_from_limits_and_keeps_module_files(built):
    course, out = built
    config = (out / "nbgrader_config.py").read_text(encoding="utf-8")
    namespace: dict = {}

    class Section(dict):
        def __getattr__(self, name):
            return self.setdefault(name, Section())

    root = Section()
    exec(compile(config, "nbgrader_config.py", "exec"), {"get_config": lambda: root}, namespace)  # noqa: S102
    assert root.CourseDirectory.course_id == course.id
    assert root.Execute.timeout == execution_timeout([course.get(e) for e in SEEDS]) > 2 * WALL_S
    assert root.Execute.interrupt_on_timeout and root.Execute.iopub_timeout == root.Execute.timeout
    modules = sorted(f"{_name(e)}.py" for e in SEEDS)
    assert set(modules) <= set(root.CourseDirectory.ignore)
    assert root.Autograde.exclude_overwriting == {"week1": modules}
    assert (out / "grading" / "course.toml").is_file()
    assert all((out / "grading" / "graders" / f"{e}.py").is_file() for e in SEEDS)


def test_answer_source_keeps_given_code_and_marks_only_what_the_student_writes():
    stub = ('"""Doc."""\nimport time\n\nLIMIT = 3\n\n\ndef helper():\n    return 1\n\n\ndef work(n):\n'
            '    """Do it."""\n    # TODO: loop\n    raise NotImplementedError("write work()")\n\n\n'
            'if __name__ == "__main__":\n    work(1)\n')
    solution = ('"""Doc (solution)."""\nimport time\n\nLIMIT = 3\n\n\ndef helper():\n    return 1\n\n\n'
                'def work(n):\n    """Do it."""\n    for _ in range(n):\n        time.sleep(1)\n\n\n'
                'def extra():\n    pass\n\n\nif __name__ == "__main__":\n    work(1)\n')
    text = answer_source(stub, solution)
    assert "Doc" not in text.split("def work")[0] and "__main__" not in text
    assert "LIMIT = 3\n" in text and "def helper():\n    return 1" in text
    assert ("def work(n):\n    \"\"\"Do it.\"\"\"\n    # TODO: loop\n    ### BEGIN SOLUTION\n    for _ in range(n):"
            in text)
    assert "### BEGIN SOLUTION\ndef extra():\n    pass\n### END SOLUTION" in text


def test_cli_builds_a_folder_and_names_an_unknown_exercise(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from coursekit.cli import main

    monkeypatch.chdir(_kit_course(tmp_path / "kit"))
    out = tmp_path / "nbcourse"
    result = CliRunner().invoke(main, ["nbgrader", "build", str(out), "--exercise", "threads"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "source").glob("*/*.ipynb")) == ["numbers_letters_threads.ipynb"]
    assert "nbgrader generate_assignment" in result.output
    result = CliRunner().invoke(main, ["nbgrader", "build", str(out), "--exercise", "threads/numbers_leters_threads"])
    assert result.exit_code != 0 and "threads/numbers_letters_threads" in result.output
    result = CliRunner().invoke(main, ["nbgrader", "build", str(out), "--assignment", "week 1"])
    assert result.exit_code != 0 and "'week 1'" in result.output
    (tmp_path / "other" / "grading").mkdir(parents=True)  # a folder of the instructor's own is never deleted
    result = CliRunner().invoke(main, ["nbgrader", "build", str(tmp_path / "other")])
    assert result.exit_code != 0 and "not a grading copy" in result.output
    assert not (tmp_path / "other" / "source").exists()


def _answer_cell(notebook: Path) -> str:
    return next(_source(c) for c in _cells(notebook) if _grade_id(c) == "answer")


def _git(course: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(course), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


@pytest.mark.parametrize("exercise_id", SEEDS)
def test_build_after_solving_uses_the_committed_stub(tmp_path, exercise_id):
    """An instructor who solved an exercise in exercises/ (as a student would) still builds the same notebook."""
    fresh = load_course(_kit_course(tmp_path / "fresh"))
    before = build(fresh, tmp_path / "nb-fresh", "ps", [fresh.get(exercise_id)])[0]
    kit = _kit_course(tmp_path / "kit")
    _git(kit, "init", "-q")
    _git(kit, "add", ".")
    _git(kit, "commit", "-q", "-m", "course")
    shutil.copy2(kit / "solutions" / f"{exercise_id}.py", kit / "exercises" / f"{exercise_id}.py")  # solved it
    course = load_course(kit)
    after = build(course, tmp_path / "nb", "ps", [course.get(exercise_id)])[0]
    assert _answer_cell(after.notebook) == _answer_cell(before.notebook)
    assert after.stub.source == "git HEAD" and "not committed" in after.stub.note
    assert _cells(after.notebook)[0] == _cells(before.notebook)[0]  # the lesson too


def test_build_without_git_uses_the_stub_or_the_pristine_copy_or_says_what_to_do(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from coursekit.cli import main

    ex_id = SEEDS[0]
    kit = _kit_course(tmp_path / "kit")
    stub = (kit / "exercises" / f"{ex_id}.py").read_text(encoding="utf-8")
    course = load_course(kit)
    clean = build(course, tmp_path / "nb0", "ps", [course.get(ex_id)])[0]
    assert clean.stub.source == f"exercises/{ex_id}.py" and not clean.stub.note
    shutil.copy2(kit / "solutions" / f"{ex_id}.py", kit / "exercises" / f"{ex_id}.py")
    monkeypatch.chdir(kit)
    refused = CliRunner().invoke(main, ["nbgrader", "build", str(tmp_path / "nb1"), "--exercise", ex_id])
    assert refused.exit_code != 0
    assert f"exercises/{ex_id}.py is no stub any more" in refused.output, refused.output
    assert "Traceback" not in refused.output
    pristine = kit / ".course" / "pristine" / f"{ex_id}.py"  # what a student command keeps
    pristine.parent.mkdir(parents=True)
    pristine.write_text(stub, encoding="utf-8")
    done = CliRunner().invoke(main, ["nbgrader", "build", str(tmp_path / "nb2"), "--exercise", ex_id])
    assert done.exit_code == 0, done.output
    assert f"note: exercises/{ex_id}.py is no stub any more" in done.output
    notebook = next((tmp_path / "nb2" / "source").glob("*/*.ipynb"))
    assert _answer_cell(notebook) == _answer_cell(clean.notebook)


def test_grade_cell_without_a_finished_answer_scores_zero_and_says_why(capsys):
    assert kernel.check("threads/never_run", "runs", 2) == 0.0
    assert "run the answer cell" in capsys.readouterr().out
    kernel._answers["threads/stopped"] = kernel._Answer("threads/stopped", "while True: pass\n",
                                                          kernel.AnswerState.STOPPED)
    try:
        assert kernel.check("threads/stopped", "runs", 2) == 0.0
        assert "stopped before it finished" in capsys.readouterr().out
    finally:
        del kernel._answers["threads/stopped"]


def test_grading_course_is_found_from_any_folder_of_the_nbgrader_course(built, monkeypatch):
    _, out = built
    monkeypatch.delenv(kernel.ENV_VAR, raising=False)
    deep = out / "autograded" / "someone" / "week1"
    deep.mkdir(parents=True)
    assert kernel.grading_course(deep) == (out / "grading").resolve()
    with pytest.raises(RuntimeError, match="graders were not found"):
        kernel.grading_course(out.parent)


# ---------------------------------------------------------------------------------------------- nbgrader


@needs_nbgrader
def test_release_has_stubs_in_place_of_solutions(graded):
    course, kit = graded["course"], graded["kit"]
    release = course / "release" / ASSIGNMENT
    assert sorted(p.name for p in release.iterdir()) == sorted(f"{_name(e)}.ipynb" for e in SEEDS)
    for ex_id in SEEDS:
        [answer] = [c for c in _cells(release / f"{_name(ex_id)}.ipynb") if _grade_id(c) == "answer"]
        code = _source(answer)
        assert BEGIN not in code and "raise NotImplementedError()" in code and "# TODO" in code
        solved = kit.get(ex_id).solution_path.read_text(encoding="utf-8")
        assert "print(\"Done!\")" in solved and "print(\"Done!\")" not in code
        stub = graded["course"].parent / f"stub_{_name(ex_id)}.py"
        stub.write_text(code.split("\n", 1)[1], encoding="utf-8")
        result = grade_exercise(kit.get(ex_id), stub)
        assert result.score == 0 and all("Not written yet" in c.message for c in result.checks)


@needs_nbgrader
def test_reference_answers_get_full_points_and_nothing_on_stderr(graded):
    for ex_id in SEEDS:
        grades = graded["grades"]["ref"][_name(ex_id)]
        assert {name: score for name, (score, _) in grades.items()} == \
               {f"check_{k}": v for k, v in graded["kit"].get(ex_id).points.items()}
        cells = _cells(graded["course"] / "autograded" / "ref" / ASSIGNMENT / f"{_name(ex_id)}.ipynb")
        outputs = [o for c in cells for o in c.get("outputs", [])]
        assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]


@needs_nbgrader
@pytest.mark.parametrize("exercise_id", SEEDS)
def test_wrong_answer_gets_the_same_partial_points_as_the_kit(graded, exercise_id):
    expected = graded["kit_wrong"][exercise_id]
    assert 0 < expected.score < expected.max_score
    grades = graded["grades"]["wrong"][_name(exercise_id)]
    assert {name: score for name, (score, _) in grades.items()} == \
           {f"check_{c.name}": c.points for c in expected.checks}
    cells = _cells(graded["course"] / "autograded" / "wrong" / ASSIGNMENT / f"{_name(exercise_id)}.ipynb")
    printed = "".join(_source({"source": o.get("text", "")}) for c in cells for o in c.get("outputs", []))
    for check in expected.checks:  # the kit's own message reaches the student (the file is the answer cell)
        if check.status is Status.FAILED:
            assert _no_place(check.message.splitlines()[0]) in _no_place(printed)


@needs_nbgrader
def test_hanging_answer_times_out_scores_zero_and_the_batch_goes_on(graded):
    grades = graded["grades"]["hang"][_name(HANGS)]
    assert grades and all(score == 0 for score, _ in grades.values())
    cells = _cells(graded["course"] / "autograded" / "hang" / ASSIGNMENT / f"{_name(HANGS)}.ipynb")
    [answer] = [c for c in cells if _grade_id(c) == "answer"]
    assert "CellTimeoutError" in [o.get("ename") for o in answer["outputs"]]  # nbgrader's timeout, not a crash
    log = graded["autograde_log"]
    assert log.index(f"autograded/hang/{ASSIGNMENT}") < log.index(f"autograded/ref/{ASSIGNMENT}")  # went on after it
    for student in ("ref", "wrong"):
        assert all(grades for grades in graded["grades"][student].values())


@needs_nbgrader
def test_feedback_is_html_with_the_checks_messages(graded):
    feedback = graded["course"] / "feedback"
    for student in ("ref", "wrong"):
        for ex_id in SEEDS:
            page = feedback / student / ASSIGNMENT / f"{_name(ex_id)}.html"
            assert page.is_file() and "<html" in page.read_text(encoding="utf-8")[:2000].lower()
    wrong = (feedback / "wrong" / ASSIGNMENT / f"{_name(SEEDS[0])}.html").read_text(encoding="utf-8")
    assert "FAIL [" in wrong and "PASS [" in wrong


@needs_nbgrader
def test_export_gives_a_csv_with_the_scores(graded):
    with open(graded["course"] / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f) if row["assignment"] == ASSIGNMENT}
    max_score = sum(graded["kit"].get(e).max_points for e in SEEDS)
    wrong = sum(result.score for result in graded["kit_wrong"].values())
    assert {s: (float(r["score"]), float(r["max_score"])) for s, r in rows.items()} == {
        "ref": (max_score, max_score), "wrong": (wrong, max_score), "hang": (0.0, max_score)}


@needs_nbgrader
def test_messages_name_lines_of_the_answer_cell(graded):
    ex_id = "coroutines/numbers_letters_asyncio"  # its mistake (time.sleep in a coroutine) is reported with a line
    cells = _cells(graded["course"] / "autograded" / "wrong" / ASSIGNMENT / f"{_name(ex_id)}.ipynb")
    [answer] = [c for c in cells if _grade_id(c) == "answer"]
    printed = "".join(_source({"source": o.get("text", "")}) for c in cells for o in c.get("outputs", []))
    lines = [int(n) for n in re.findall(rf"{_name(ex_id)}\.py:(\d+)", printed)]
    assert lines
    cell_lines = _source(answer).splitlines()
    assert all("time.sleep" in cell_lines[n - 1] for n in lines)
