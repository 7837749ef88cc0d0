"""Bulk grading (`course grade`): a fixture class of correct, wrong, hostile and malformed submissions.

The class is graded once per module (`--jobs 2`), through the real command in a subprocess, then a second time
to prove the cache and the byte-identical gradebook.  The static students live in `tests/bulk_class/submissions`
(each hostile one's docstring names its attack); the malformed ones that cannot sit in git (zips, symbolic
links, bombs, huge and non-UTF-8 files) are built here.  The golden gradebook is `tests/bulk_class/grades.csv`;
regenerate it with `COURSEKIT_UPDATE_GOLDEN=1 python -m pytest tests/test_bulk.py` and review the diff.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from coursekit._bulk.gradebook import student_dir
from coursekit._judge import observe

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "bulk_class"
THREADS = "threads/numbers_letters_threads"
CORRECT_THREADS = ROOT / "tests/catalogue/threads/numbers_letters_threads/correct/thread_objects.py"
CORRECT_ASYNC = ROOT / "tests/catalogue/coroutines/numbers_letters_asyncio/correct/taskgroup.py"
WRONG_THREADS = ROOT / "tests/catalogue/threads/numbers_letters_threads/wrong/sequential.py"
XSS = "<img src=x onerror=alert(1)>"


SEED = ("threads/numbers_letters_threads", "processes/numbers_letters_processes", "coroutines/numbers_letters_asyncio")
ONLY_SEED = [arg for ex in SEED for arg in ("--exercise", ex)]  # the golden gradebook covers the seed trio only


def course(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "coursekit", *args], cwd=cwd, env=env, capture_output=True,
                          check=False, text=True, timeout=600)


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def build_class(dest: Path) -> None:
    """The static students, plus the malformed ones built on the spot."""
    shutil.copytree(FIXTURE / "submissions", dest)
    t = Path(THREADS + ".py")
    correct = CORRECT_THREADS.read_bytes()

    def put(student: str, rel: Path | str, data: bytes) -> None:
        path = dest / student / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    put("m_syntax", t, b"def main(:\n    print('Done!')\n")
    put("m_not_utf8", t, b"# caf\xe9 cr\xe8me\n" + correct)
    put("m_empty", t, b"")
    put("m_huge", t, correct + b"#" * (2 * 1024 * 1024) + b"\n")
    put("m_wrong_place", "numbers_letters_threads.py", correct)
    put("dup", t, correct)
    _zip(dest / "dup.zip", {THREADS + ".py": WRONG_THREADS.read_bytes()})
    (dest / "m_nothing").mkdir()
    (dest / XSS).mkdir()
    put("report.html", t, (ROOT / "exercises" / t).read_bytes())  # an id that clashes with our own report file
    (dest / "m_symlink" / "threads").mkdir(parents=True)
    os.symlink(ROOT / "solutions" / t, dest / "m_symlink" / t)  # a link to the reference solution
    os.symlink("/etc", dest / "m_symlink" / "processes")
    _zip(dest / "bob.zip", {"exercises/coroutines/numbers_letters_asyncio.py": CORRECT_ASYNC.read_bytes(),
                            "exercises/threads/numbers_letters_threads.py": correct})
    _zip(dest / "m_zipslip.zip", {"../../escaped.py": b"print('escaped')\n", "/tmp/absolute_escape.py": b"x = 1\n",
                                  THREADS + ".py": correct})
    _zip(dest / "m_zipbomb.zip", {THREADS + ".py": b"#" * (120 * 1024 * 1024)})  # ~120 KiB compressed
    (dest / "m_badzip.zip").write_bytes(b"this is not a zip file at all\n")
    # 2000 copies of one exercise file of 512 KiB each: about 1 MB zipped, 1 GB if intake held every member
    with warnings.catch_warnings(), zipfile.ZipFile(dest / "hostile_zipstream.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")  # "Duplicate name": the point of it
        for _ in range(2000):
            zf.writestr(zipfile.ZipInfo(THREADS + ".py", date_time=(2020, 1, 1, 0, 0, 0)), b"#" * (512 * 1024),
                        zipfile.ZIP_DEFLATED)
    deep = dest / "hostile_deep_tree"  # and a submission folder 1,500 levels deep (its run makes one too)
    fd = os.open(deep, os.O_RDONLY)
    for _ in range(1500):
        os.mkdir("d", dir_fd=fd)
        deeper = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = deeper
    os.close(fd)
    (dest / "README.txt").write_text("class notes, not a student\n")


def _walk(folder: Path) -> list[tuple[Path, list[str], list[str]]]:
    """``os.walk`` without recursion (Python 3.11's recurses, and one student's tree is 1,500 deep)."""
    out, todo = [], [folder]
    while todo:
        top = todo.pop()
        entries = list(os.scandir(top))
        dirs = [e.name for e in entries if e.is_dir(follow_symlinks=False)]
        out.append((top, dirs, [e.name for e in entries if e.name not in dirs]))
        todo += [top / d for d in dirs]
    return out


def tree_digest(folder: Path) -> str:
    """Names and contents of everything under ``folder`` (iterative: one student's tree is 1,500 deep)."""
    digest = hashlib.sha256()
    todo = [folder]
    while todo:
        top = todo.pop()
        for path in sorted(top.iterdir(), reverse=True):
            digest.update(str(path.relative_to(folder)).encode())
            if path.is_dir() and not path.is_symlink():
                todo.append(path)
            elif path.is_file() and not path.is_symlink():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def machine_state() -> dict[str, set[str]]:
    """What a run could leave on the machine outside its folder: System V objects, shared-memory files."""
    ipc = set()
    for kind in ("shm", "msg", "sem"):
        try:
            ipc |= {f"{kind} {row.split()[1]}" for row in Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]}
        except OSError:
            pass
    shm = {n for n in os.listdir("/dev/shm") if n.startswith("coursekit_hostile")} if os.path.isdir("/dev/shm") \
        else set()
    return {"ipc": ipc, "shm": shm}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("bulk")
    klass = base / "inbox" / "class"
    build_class(klass)
    before = tree_digest(klass)
    machine = machine_state()
    out = base / "results"
    first = course("grade", str(klass), "--out", str(out), "--jobs", "2", "--timeout", "20", *ONLY_SEED)
    grades = (out / "grades.csv").read_bytes() if (out / "grades.csv").exists() else b""
    second = course("grade", str(klass), "--out", str(out), "--jobs", "2", "--timeout", "20", *ONLY_SEED)
    yield {"base": base, "class": klass, "out": out, "first": first, "second": second, "grades": grades,
           "before": before, "after": tree_digest(klass), "machine_before": machine, "machine_after": machine_state()}
    from coursekit._judge.reading import remove_tree

    remove_tree(klass / "hostile_deep_tree")  # pytest's own clean-up of old folders recurses, and would fail


def rows(data: bytes) -> dict[str, dict[str, str]]:
    return {r["student"]: r for r in csv.DictReader(io.StringIO(data.decode("utf-8")))}


def test_grading_runs_and_exits_0(graded):
    assert graded["first"].returncode == 0, graded["first"].stderr[-3000:]
    assert "graded" in graded["first"].stdout


def test_gradebook_matches_the_golden_file(graded):
    golden = FIXTURE / "grades.csv"
    if os.environ.get("COURSEKIT_UPDATE_GOLDEN"):
        golden.write_bytes(graded["grades"])
    assert graded["grades"] == golden.read_bytes()


def test_every_student_has_a_row_and_results(graded):
    table = rows(graded["grades"])
    students = {p.name.removesuffix(".zip") for p in graded["class"].iterdir() if p.name != "README.txt"}
    assert set(table) == students
    header = graded["grades"].decode().splitlines()[0].split(",")
    assert header == ["student", "threads/numbers_letters_threads", "processes/numbers_letters_processes",
                      "coroutines/numbers_letters_asyncio", "total", "max"]
    for student in students:
        folder = graded["out"] / student_dir(student)
        assert json.loads((folder / "results.json").read_text(encoding="utf-8"))["max_score"] == 30
        assert (folder / "feedback.md").read_text(encoding="utf-8").startswith("# Feedback")


def test_correct_students_get_full_marks_beside_hostile_ones(graded):
    table = rows(graded["grades"])
    assert table["alice"]["total"] == "30"
    assert table["bob"]["coroutines/numbers_letters_asyncio"] == "10" and table["bob"][THREADS] == "10"
    assert table['Zoë "Z" O\'Neil, jr'][THREADS] == "10"


def test_hostile_submissions_score_no_more_than_the_stub(graded):
    table = rows(graded["grades"])
    hostile = [s for s in table if s.startswith("hostile_")]
    assert len(hostile) >= 17
    stub = float(table["stub"]["total"])
    over = {s: table[s]["total"] for s in hostile if float(table[s]["total"]) > stub}
    assert not over, f"hostile submissions beat the stub ({stub}): {over}"


def test_tampering_is_named_in_the_feedback(graded):
    for student, words in [("hostile_monkeypatch_kit", "imported the grader's module"),
                           ("hostile_monkeypatch_sneaky", "changed the grader's coursekit._engine.probe.Probe.emit"),
                           ("hostile_probe_direct", "wrote its own trace event"),
                           ("hostile_gc_walk", "walked the interpreter's objects"),
                           ("hostile_trace_forge", "grader's own files"),
                           ("hostile_guard_truncate", "grader's own files (os.truncate guard.jsonl)"),
                           ("hostile_emit_defaults", "reached inside the grader's own functions"),
                           ("hostile_guard_switch", "grader's own files"),
                           ("hostile_fork_exec", "started another program"),
                           ("hostile_sysv_leak", "looked up C functions with ctypes")]:
        text = (graded["out"] / student / "feedback.md").read_text(encoding="utf-8")
        assert "tried to get around the grader" in text and words in text, (student, text[:2000])


def test_attacks_change_nothing_outside_their_run(graded):
    assert graded["before"] == graded["after"], "a submission changed the class folder"
    base = graded["base"]
    assert not [f for _, _, files in _walk(base) for f in files if f == "escaped.py"]  # (rglob: too deep here)
    assert not Path("/tmp/absolute_escape.py").exists()
    assert not (graded["class"] / "conftest.py").exists() and not (ROOT / "conftest.py").read_text().count("hook")
    results = json.loads((graded["out"] / "alice" / "results.json").read_text(encoding="utf-8"))
    assert results["score"] == 30


def test_malformed_submissions_get_a_clear_message(graded):
    def feedback(student: str) -> str:
        return (graded["out"] / student / "feedback.md").read_text(encoding="utf-8")

    assert "cannot read your file" in feedback("m_syntax")
    assert "not UTF-8 text" in feedback("m_not_utf8")
    assert "the file is empty" in feedback("m_empty")
    assert "more than the" in feedback("m_huge")
    assert "in the wrong place" in feedback("m_wrong_place")
    assert "symbolic link" in feedback("m_symlink")
    assert "outside the submission" in feedback("m_zipslip")
    assert "zip bomb" in feedback("m_zipbomb")
    assert "not a readable zip" in feedback("m_badzip")
    assert "Both a folder" in feedback("dup")
    assert "Not submitted" in feedback("m_nothing")
    table = rows(graded["grades"])
    assert table["m_zipslip"][THREADS] == "10"  # the good file of a zip with bad entries is still graded
    assert table["dup"][THREADS] == "10"  # the folder won over the zip
    assert table["m_symlink"]["total"] == "0"


def test_feedback_shows_the_timeline(graded):
    text = (graded["out"] / "carol" / "feedback.md").read_text(encoding="utf-8")
    assert "Timeline (virtual seconds since main() started)" in text
    assert "your program" in text and "first difference" in text


def test_results_json_is_gradescope_format(graded):
    data = json.loads((graded["out"] / "dave" / "results.json").read_text(encoding="utf-8"))
    assert isinstance(data["score"], float) and data["max_score"] == 30 and data["execution_time"] >= 0
    assert len(data["tests"]) == 21
    for test in data["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output"}
        assert test["status"] in ("passed", "failed")
    assert sum(t["score"] for t in data["tests"]) == data["score"]
    failed = [t for t in data["tests"] if t["status"] == "failed" and t["name"].startswith(THREADS)]
    assert failed and all(t["output"] for t in failed)


def test_report_is_a_class_overview(graded):
    html = (graded["out"] / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "<rect" in html
    assert "Checks failed, most common first" in html
    assert 'href="alice/feedback.md"' in html and 'href="student-report.html/feedback.md"' in html
    assert XSS not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count('title="cut short (time)">T<') + html.count('title="tampering">!<') >= 1
    assert "file(s) handed in" in html


def test_hostile_files_for_the_judge_are_refused_and_bounded(graded):
    """A FIFO and a link in the trace folder, a 3.5 MB line, a 1,500-deep tree, a streaming zip, an id that
    collides with another's folder: each scores 0 (the stub's score), the class completes (exit 0, above)."""
    out = graded["out"]
    fifo = (out / "hostile_trace_fifo" / "feedback.md").read_text(encoding="utf-8")
    assert "tried to get around the grader" in fifo and "FIFO" in fifo
    huge = out / "hostile_huge_line" / "results.json"
    assert huge.stat().st_size < 300_000, "a 3.5 MB line made a results.json this large"
    assert "[cut by the grader:" in huge.read_text(encoding="utf-8")
    # every cache entry is bounded: at most MAX_LINES lines of at most 500 characters in each failed check's
    # picture (the output flood is the largest, about 4 MB); the 3.5 MB line made a 31 MB one
    assert max(p.stat().st_size for p in (out / ".cache").glob("*.json")) < 6_000_000
    assert "more than 16 deep were not read" in (out / "hostile_deep_tree" / "feedback.md").read_text()
    zipped = (out / "hostile_zipstream" / "feedback.md").read_text(encoding="utf-8")
    assert "zip bomb" in zipped and "more notes like these" in zipped
    for student, score in (("report.html", 0), ("student-report.html", 10)):
        data = json.loads((out / student_dir(student) / "results.json").read_text(encoding="utf-8"))
        assert data["extra_data"]["student"] == student and data["score"] == score
        assert data["extra_data"]["unsafe"] is False
    assert "Graded with --unsafe" not in (out / "report.html").read_text(encoding="utf-8")


def test_protections_are_recorded(graded):
    data = json.loads((graded["out"] / "alice" / "results.json").read_text(encoding="utf-8"))
    sb = data["extra_data"]["protections"]
    assert sb["level"] in ("namespaces", "uid", "userns-root", "userns", "limits")
    assert sb["limits"]["memory_bytes"] == 1024 ** 3
    if os.geteuid() == 0 and shutil.which("unshare") and subprocess.run(
            ["unshare", "--net", "--mount", "true"], capture_output=True, check=False).returncode == 0:
        assert sb["level"] == "namespaces" and sb["unprivileged_user"] and "network namespace" in sb["network"]
    if not observe.unavailable():  # what was seen from outside the run is said, and it is all of it
        assert sb["observed"].startswith("threads, processes and every write to stdout and stderr"), sb
    assert "seen from outside" in (graded["out"] / "report.html").read_text(encoding="utf-8")


def test_no_ipc_object_or_shared_file_of_a_run_outlives_it(graded):
    """hostile_shm_leak leaves POSIX shared memory and a file in /dev/shm; hostile_fill_disk fills /dev/shm;
    hostile_sysv_leak tries System V objects (the guard refuses its ctypes; tests/test_isolation.py makes the same
    attack with no guard, at the OS layer)."""
    assert graded["machine_after"]["shm"] - graded["machine_before"]["shm"] == set()
    assert graded["machine_after"]["ipc"] - graded["machine_before"]["ipc"] == set()
    from test_isolation import run_cgroups

    assert run_cgroups() == [], "a run's cgroup was left behind"
    # (what hostile_shm_leak prints may show its own leftovers: the schedules of one run are forked copies of one
    # harness, in one namespace; that a later run sees nothing is test_isolation.py's, run by run)


def test_filling_the_disk_fails_nobody_else(graded):
    """hostile_fill_disk fills every place it may write; the reference and every other student are graded as
    the golden gradebook says (above), and its own run was refused room, not the machine's."""
    text = (graded["out"] / "hostile_fill_disk" / "feedback.md").read_text(encoding="utf-8")
    sb = json.loads((graded["out"] / "hostile_fill_disk" / "results.json").read_text())["extra_data"]["protections"]
    if sb["level"] == "namespaces":
        assert "No space left on device" in text and "private tmpfs" in sb["writable"]
    assert rows(graded["grades"])["alice"]["total"] == "30"


FORGED = FIXTURE / "forged"
# (template, exercise): every way of forging, on the threads exercise; the plain forgery on the other models too
FORGERIES = [*((p.parent.parent.name, THREADS) for p in sorted(FORGED.glob("*/threads/*.py"))),
             ("hostile_fd_forge", "processes/numbers_letters_processes"),
             ("hostile_fd_forge", "coroutines/numbers_letters_asyncio")]


def _forged_entry(dest: Path, template: str, exercise_id: str) -> Path:
    """``forged/<template>`` with its fake runs filled in from runs of ``exercise_id``'s reference under the
    current kit, one per schedule, as a student would make them at home."""
    from coursekit import grading
    from coursekit._judge import runner
    from coursekit.registry import load_course

    exercise = load_course(ROOT).get(exercise_id)
    fakes: dict[str, list] = {}
    real_run = runner.run

    def record(spec: runner.RunSpec) -> runner.RawRun:
        raw = real_run(spec)
        for fork in (raw.forks or (raw,)):
            if fork is not None and fork.root_pid in fork.events:
                events = fork.events[fork.root_pid]
                start = next((i for i, e in enumerate(events) if e.get("e") == "phase" and e.get("name") == "main"),
                             len(events))
                fakes[fork.spec.tie] = events[start:]
        return raw

    runner.run = record
    try:
        grading.grade_exercise(exercise, exercise.solution_path, cache=grading.ReferenceCache())
    finally:
        runner.run = real_run
    source = next((FORGED / template).glob("*/*.py")).read_text(encoding="utf-8")
    path = dest / template / (exercise_id + ".py")
    path.parent.mkdir(parents=True)
    path.write_text(source.replace("FAKE_RUNS = {}", f"FAKE_RUNS = json.loads({json.dumps(json.dumps(fakes))})"),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("template", "exercise_id"), FORGERIES)
def test_a_fake_run_written_to_the_trace_descriptor_scores_no_more_than_the_stub(tmp_path, template, exercise_id):
    """Class 1: a complete fake run of the reference, written through the kit's own open descriptor (no audited
    call), however the forger backs it (nothing printed; every line printed by main; real threads printing
    their lines one after another), scores 0, and the feedback says it was seen from outside the program."""
    from coursekit._judge import runner
    from coursekit._judge.sandbox import Sandbox
    from coursekit.grading import ReferenceCache, grade_exercise
    from coursekit.registry import load_course

    exercise = load_course(ROOT).get(exercise_id)
    entry = _forged_entry(tmp_path, template, exercise_id)
    runner.use_sandbox(Sandbox(hide=(ROOT,), unsafe=os.geteuid() == 0 and not _namespaces()))
    try:
        forged = grade_exercise(exercise, entry, cache=ReferenceCache())
    finally:
        runner.use_sandbox(None)
    assert forged.score == 0, f"a forged trace scored {forged.score}"
    said = "\n".join(c.message for c in forged.checks)
    assert "from outside your program" in said, said[:3000]


def _namespaces() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "--net", "--mount", "true"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="the runs' own uids exist only when grading as root")
def test_nothing_of_any_run_is_left_running(graded):
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                uid = int(Path(f"/proc/{name}/status").read_text().split("Uid:")[1].split()[0])
            except (OSError, IndexError, ValueError):
                continue
            assert not 61_000 <= uid < 61_128, f"process {name} of a sandbox uid is still alive"


def test_rerun_reuses_the_cache_and_writes_the_same_bytes(graded):
    assert graded["second"].returncode == 0, graded["second"].stderr[-3000:]
    assert "graded 0 file(s)" in graded["second"].stdout
    assert (graded["out"] / "grades.csv").read_bytes() == graded["grades"]


def test_summary_counts_files_handed_in_and_distinct(tmp_path):
    """Identical files are graded once; the summary must still say how many were handed in (29, not "21")."""
    klass = tmp_path / "class"
    for student, source in (("ann", CORRECT_THREADS), ("ben", CORRECT_THREADS), ("cat", WRONG_THREADS)):
        (klass / student / "threads").mkdir(parents=True)
        shutil.copy(source, klass / student / (THREADS + ".py"))
    done = course("grade", str(klass), "--out", str(tmp_path / "out"), "--exercise", THREADS, "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert "3 student(s), 3 file(s) handed in (2 distinct, 1 identical to another student's, graded once)" \
        in done.stdout, done.stdout
    assert "graded 2 file(s)" in done.stdout


def test_exercise_selection_and_bad_arguments(tmp_path):
    klass = tmp_path / "class"
    (klass / "alice" / "threads").mkdir(parents=True)
    shutil.copy(CORRECT_THREADS, klass / "alice" / (THREADS + ".py"))
    done = course("grade", str(klass), "--out", str(tmp_path / "out"), "--exercise", THREADS, "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "grades.csv").read_text() == f"student,{THREADS},total,max\nalice,10,10,10\n"
    bad = course("grade", str(klass), "--out", str(tmp_path / "out"), "--exercise", "threads/nope")
    assert bad.returncode != 0 and "threads/nope" in bad.stderr and "course.toml" in bad.stderr
    inside = course("grade", str(klass), "--out", str(klass / "results"))
    assert inside.returncode != 0 and "inside" in inside.stderr


def test_gradescope_export_lands_outside_the_course_tree_by_default(tmp_path):
    """Without --out the zip goes to .course/ (git-ignored), never beside course.toml where it could be committed."""
    from _course_copy import copy_course

    copy = copy_course(tmp_path / "course")
    made = course("export", "gradescope", cwd=copy)
    assert made.returncode == 0, made.stderr
    assert (copy / ".course" / "autograder.zip").is_file() and not list(copy.glob("*.zip"))
    assert ".course/autograder.zip" in made.stdout


def test_gradescope_export_grades_a_submission(tmp_path):
    made = course("export", "gradescope", "--out", str(tmp_path / "autograder.zip"))
    assert made.returncode == 0, made.stderr
    root = tmp_path / "autograder"
    with zipfile.ZipFile(tmp_path / "autograder.zip") as zf:
        names = zf.namelist()
        zf.extractall(root / "source")
    assert "setup.sh" in names and "run_autograder" in names and "solutions/" + THREADS + ".py" in names
    assert not any(n.startswith("tests/") for n in names)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    shutil.copy(CORRECT_THREADS, root / "submission" / "numbers_letters_threads.py")  # a flat upload
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(COURSEKIT_AUTOGRADER_ROOT=str(root), COURSEKIT_PYTHON=sys.executable)
    done = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True, check=False,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    data = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    from coursekit.registry import load_course

    whole = load_course(ROOT).exercises  # the autograder grades the whole course
    assert data["score"] == 10 and data["max_score"] == sum(e.max_points for e in whole), data.get("output")
    assert len(data["tests"]) == sum(len(e.points) for e in whole) and data["output_format"] == "md"
    assert data["extra_data"]["exercises"][THREADS] == "graded"
    assert data["extra_data"]["exercises"]["coroutines/numbers_letters_asyncio"] == "not submitted"
    # the page's top shows the totals and tables; each failure's message is under its own test, not twice
    failed = [t["output"] for t in data["tests"] if t["status"] == "failed" and t["output"]]
    assert failed and "| check | points | result |" in data["output"]
    assert not any(message in data["output"] for message in failed)


def test_the_audit_guard_alone_contains_the_attacks():
    """Without namespaces or another uid (a machine where grading cannot be root), the in-process guard must
    still zero every attack on the kit, and must not touch an honest submission."""
    from coursekit._judge import runner
    from coursekit._judge.sandbox import Sandbox
    from coursekit.grading import ReferenceCache, grade_exercise
    from coursekit.registry import load_course

    course = load_course(ROOT)
    exercise = course.get(THREADS)
    attacks = ["hostile_conftest", "hostile_gc_walk", "hostile_kill_parent", "hostile_monkeypatch_kit",
               "hostile_monkeypatch_sneaky", "hostile_overwrite_results", "hostile_probe_direct",
               "hostile_trace_forge", "hostile_guard_truncate", "hostile_emit_defaults", "hostile_guard_switch",
               "hostile_fork_exec", "hostile_pidfd_kill"]
    cache = ReferenceCache()
    runner.use_sandbox(Sandbox(hide=(ROOT,), levels=("limits",), unsafe=os.geteuid() == 0))  # as root: --unsafe
    try:
        honest = grade_exercise(exercise, CORRECT_THREADS, cache=cache)
        scores = {a: grade_exercise(exercise, FIXTURE / "submissions" / a / (THREADS + ".py"), cache=cache)
                  for a in attacks}
    finally:
        runner.use_sandbox(None)
    assert honest.score == exercise.max_points and honest.run_info["sandbox"]["level"] == "limits"
    assert not honest.run_info["tampered"]
    assert {a: r.score for a, r in scores.items() if r.score > 0 or not r.run_info["tampered"]} == {}


DRIVER_COURSE = {
    "course.toml": '''[course]
id = "mini"
[[exercise]]
id = "threads/square"
title = "Square in a thread"
points = { runs = 1, output = 1, returns = 1 }
''',
    "graders/threads/square.py": '''from coursekit import checks
from coursekit.grading import Grader


def drive(module):
    """The driver runs in the student's process: it calls the student's function twice."""
    return [module.square(3), module.square(4)]


grader = Grader(checks=(checks.Runs(), checks.Output(), checks.Returns("square()")), driver=drive)
''',
    "solutions/threads/square.py": '''import threading


def square(x):
    out = []
    t = threading.Thread(target=lambda: out.append(x * x))
    t.start()
    t.join()
    print(f"square {x}")
    return out[0]
''',
}


def test_a_grader_with_a_driver_runs_sandboxed_and_stays_unreadable(tmp_path):
    mini = tmp_path / "mini"
    for rel, text in DRIVER_COURSE.items():
        (mini / rel).parent.mkdir(parents=True, exist_ok=True)
        (mini / rel).write_text(text)
    (mini / "exercises/threads").mkdir(parents=True)
    (mini / "exercises/threads/square.py").write_text("def square(x):\n    raise NotImplementedError('square')\n")
    honest = (mini / "solutions/threads/square.py").read_text()
    snoop = honest.replace("def square(x):", '''def square(x):
    import glob
    import os
    import sys
    for path in glob.glob("/tmp/coursekit-run-*/driver/*") + [sys.argv[-1]]:
        try:
            open(path).read()
        except OSError:
            pass''')
    klass = tmp_path / "class"
    for student, text in (("honest", honest), ("snoop", snoop)):
        (klass / student / "threads").mkdir(parents=True)
        (klass / student / "threads" / "square.py").write_text(text)
    done = course("grade", str(klass), "--out", str(tmp_path / "out"), "--jobs", "2", cwd=mini)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "grades.csv").read_text() == \
        "student,threads/square,total,max\nhonest,3,3,3\nsnoop,0,0,3\n"


def test_intake_reads_without_running_anything(tmp_path):
    """Intake alone (no grading): ids, layouts, and what is refused, each with a note."""
    from coursekit._bulk.intake import collect
    from coursekit.registry import load_course

    exercises = list(load_course(ROOT).exercises)
    klass = tmp_path / "class"
    (klass / "ann" / "exercises" / "threads").mkdir(parents=True)
    (klass / "ann" / "exercises" / "threads" / "numbers_letters_threads.py").write_bytes(b"x = 1\n")
    (klass / "ann" / "threads").mkdir()
    (klass / "ann" / "threads" / "numbers_letters_threads.py").write_bytes(b"x = 2\n")  # a second copy
    (klass / "ann" / "notes.py").write_text("")
    (klass / ".hidden").mkdir()
    (klass / "..zip").write_bytes(b"")
    _zip(klass / "ben.zip", {"threads/../../x.py": b"", "coroutines/numbers_letters_asyncio.py": b"# -*- coding: "
                             b"latin-1 -*-\nprint('caf\xe9')\n"})
    intake = collect(klass, exercises, tmp_path / "staging")
    by_id = {s.student: s for s in intake.students}
    assert sorted(by_id) == ["ann", "ben"]
    ann = by_id["ann"]
    assert list(ann.files) == [THREADS] and ann.files[THREADS].path.read_bytes() == b"x = 1\n"
    assert any("a second file" in n for n in ann.notes) and any("notes.py" in n for n in ann.notes)
    ben = by_id["ben"]
    assert list(ben.files) == ["coroutines/numbers_letters_asyncio"]  # a declared encoding is fine
    assert any("outside the submission" in n for n in ben.notes)
    assert any(".hidden" in n for n in intake.notes) and any("..zip" in n for n in intake.notes)
    assert not (tmp_path / "x.py").exists()
