"""The judge reads hostile files safely, cleans up any tree, maps ids injectively, never runs code as root.

Each test attacks one sentence of README's "Isolation" and "Tampering" (and of ``coursekit/_judge/reading.py``):
a FIFO, a device, a symbolic link in the trace folder; a forged 3.5 MB line; more events than the writer makes;
JSON nested past the recursion limit; a parse that takes too long (on a fake clock: no real time is waited for);
a tree deeper than the recursion limit; two student ids for one folder; a zip that would unpack to 1 GB; a
sandbox that could only run student code as root; the environment and guard settings of a run.
"""

from __future__ import annotations

import json
import os
import random
import stat
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from coursekit._judge import reading
from coursekit._judge.reading import ReadLimits, Unsafe

ROOT = Path(__file__).resolve().parent.parent
THREADS = "threads/numbers_letters_threads"


def _line(text: str, cid: str = "t0") -> str:
    return json.dumps({"e": "line", "t": 1.0, "id": cid, "text": text, "stream": "out", "phase": "main"}) + "\n"


# -- regular files only ----------------------------------------------------------------------------------------
def test_a_fifo_a_link_and_a_device_in_the_trace_folder_are_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "7.jsonl")  # opening it for reading would block for ever
    os.symlink("/dev/zero", tmp_path / "8.jsonl")  # reading it would never end
    os.symlink(tmp_path / "real", tmp_path / "9.jsonl")  # a link, even to a regular file
    (tmp_path / "real").write_text(_line("Number: 1"))
    (tmp_path / "10.jsonl").write_text(_line("Number: 2"))
    (tmp_path / "notes.txt").write_text("not a trace file")
    got = reading.read_trace(tmp_path, ReadLimits())
    assert list(got.events) == [10] and got.events[10][0]["text"] == "Number: 2"
    whys = {r.name: r.why for r in got.refusals}
    assert whys == {"7.jsonl": "is a FIFO (a named pipe), not a file", "8.jsonl": "is a symbolic link, not a file",
                    "9.jsonl": "is a symbolic link, not a file"}
    records = reading.refusal_records(got.refusals)
    assert all(r["kind"] == "trace-files" and "grader's own trace folder" in r["detail"] for r in records)


def test_read_bytes_refuses_devices_and_folders(tmp_path):
    with pytest.raises(Unsafe, match="is a device"):
        reading.read_bytes(Path("/dev/zero"), 10)
    with pytest.raises(Unsafe, match="is a folder"):
        reading.read_bytes(tmp_path, 10)
    assert reading.read_text(Path("/dev/zero")) == "" and reading.read_json(tmp_path) is None


def test_a_file_larger_than_a_run_may_write_is_cut_and_refused(tmp_path):
    (tmp_path / "1.jsonl").write_text(_line("a") * 5000)
    limits = ReadLimits(file_bytes=10_000)
    got = reading.read_trace(tmp_path, limits)
    assert len("".join(_line("a") * len(got.events[1]))) <= 10_000
    assert [r.why for r in got.refusals] == ["is larger than the 9 kB a run may write"]


def test_more_events_than_the_writer_makes_are_refused(tmp_path):
    limits = ReadLimits.for_run(output_kb=4096, max_events=100)
    (tmp_path / "1.jsonl").write_text(_line("a") * 500)
    got = reading.read_trace(tmp_path, limits)
    assert len(got.events[1]) == limits.file_events
    assert "more than the 116 events" in got.refusals[0].why


def test_the_events_over_all_files_are_capped(tmp_path):
    limits = ReadLimits(file_events=100, total_events=250)
    for pid in range(1, 6):
        (tmp_path / f"{pid}.jsonl").write_text(_line("a") * 100)
    got = reading.read_trace(tmp_path, limits)
    assert sum(len(v) for v in got.events.values()) == 250
    assert any("larger than the grader reads" in r.why for r in got.refusals)


# -- bounded strings: a forged 3.5 MB line -----------------------------------------------------------------------
def test_a_huge_line_is_cut_with_a_marker(tmp_path):
    (tmp_path / "1.jsonl").write_text(_line("x" * (3_500_000)))
    got = reading.read_trace(tmp_path, ReadLimits())
    text = got.events[1][0]["text"]
    assert text.startswith("x" * 500) and text.endswith("[cut by the grader: 3499500 more characters]")
    assert got.strings_cut == 1 and len(text) < 600


def test_long_lists_deep_nesting_and_odd_lines_are_dropped_or_bounded(tmp_path):
    lines = [json.dumps({"e": "problem", "t": 0, "id": "t0", "kind": "deadlock",
                         "waits": [{"id": f"t{i}", "on": "lock"} for i in range(5000)]}),
             "[" * 100_000 + "]" * 100_000,  # past the recursion limit of json itself
             json.dumps({"e": "line", "nested": [[[[[[[[[[1]]]]]]]]]]}),
             json.dumps(["not", "an", "object"]), json.dumps({"no": "kind"}), "\xff\xfe garbage", "1" * 10_000]
    (tmp_path / "1.jsonl").write_text("\n".join(lines) + "\n")
    got = reading.read_trace(tmp_path, ReadLimits())
    assert len(got.events[1]) == 1 and len(got.events[1][0]["waits"]) == ReadLimits().max_items


def test_parsing_stops_at_the_judge_side_time_limit(tmp_path):
    ticks = iter(range(10**6))  # a fake clock: one second per look at it, no real time passes

    events, refusals, _ = reading.parse_events((_line("a") * 2000).encode(), ReadLimits(seconds_per_file=3),
                                               name="1.jsonl", clock=lambda: float(next(ticks)))
    assert len(events) < 2000 and refusals[0].why == "took the grader more than 3 s to read"


def test_the_guard_record_is_read_bounded_and_from_regular_files_only(tmp_path):
    os.mkfifo(tmp_path / "a.jsonl")
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps({"kind": "x", "detail": "y" * 10_000})
                                                for _ in range(5000)))
    records = reading.read_records(tmp_path, max_records=100)
    assert len(records) == 100 and all(len(r["detail"]) < 600 for r in records)


# -- clean-up never raises --------------------------------------------------------------------------------------
def _deep(top: Path, depth: int) -> None:
    fd = os.open(top, os.O_RDONLY)
    for i in range(depth):
        os.mkdir("d", dir_fd=fd)
        deeper = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = deeper
        if i % 500 == 0:
            os.close(os.open("f", os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=fd))
    os.close(fd)


def test_remove_tree_removes_a_tree_deeper_than_the_recursion_limit(tmp_path):
    top = tmp_path / "box"
    top.mkdir()
    _deep(top, sys.getrecursionlimit() + 1500)
    (top / "locked" / "inner").mkdir(parents=True)
    (top / "locked" / "inner" / "file").write_text("x")
    os.chmod(top / "locked" / "inner", 0)
    os.chmod(top / "locked", 0)
    os.symlink(ROOT / "README.md", top / "link")  # never followed
    os.symlink(ROOT, top / "dirlink")
    assert reading.remove_tree(top) == [] and not top.exists()
    assert (ROOT / "README.md").exists()


def test_remove_tree_of_nothing_or_a_file_is_quiet(tmp_path):
    assert reading.remove_tree(tmp_path / "absent") == []
    (tmp_path / "f").write_text("x")
    assert reading.remove_tree(tmp_path / "f") == [] and not (tmp_path / "f").exists()


# -- the picture is linear in the trace ------------------------------------------------------------------------
def test_the_indexed_last_seen_is_the_scan_it_replaced():
    """``picture._LastSeen`` (one pass) gives what the quadratic scan per blocked context gave."""
    from coursekit._judge.picture import _LastSeen
    from coursekit._judge.timeline import Context, Timeline, is_main

    rng = random.Random(7)  # noqa: S311 - reproducible test data, not a secret
    ids = ["t0", *[f"t{i}" for i in range(1, 30)]]
    events = [{"e": rng.choice(["line", "sleep", "join", "cancel", "kill", "spawn"]), "id": rng.choice(ids),
               "t": round(rng.uniform(0, 9), 3), "d": rng.choice([0, 0.5, 1.5])} for _ in range(400)]
    contexts = {c: Context(c, "thread", "f", rng.choice(ids), rng.uniform(0, 9), None) for c in ids[1:]}
    tl = Timeline("threads", contexts, [], [], [], [], [], [], [], [], None, [], None, True)
    tl.events = events

    def scan(cid: str, start: float) -> float:  # the old code, verbatim in substance
        seen = [start]
        for ev in tl.events:
            if ev.get("id") == cid and ev.get("e") in ("line", "sleep", "join", "cancel", "kill"):
                seen.append(float(ev.get("t", 0.0)) + (float(ev.get("d", 0.0)) if ev.get("e") == "sleep" else 0.0))
        seen += [c.start for c in tl.contexts.values() if c.parent == cid or (is_main(cid) and is_main(c.parent))]
        return max(seen)

    fast = _LastSeen(tl)
    for cid in [*ids, "nobody"]:
        for start in (0.0, 4.5, 20.0):
            assert fast(cid, start) == scan(cid, start), (cid, start)


# -- student ids to folders: injective --------------------------------------------------------------------------
def test_student_folders_are_injective_and_deterministic():
    from coursekit._bulk.gradebook import RESERVED, student_dir

    ids = [*RESERVED, *(f"student-{r}" for r in RESERVED), *(f"student-student-{r}" for r in RESERVED),
           ".x", "student-.x", "alice", "student-", "student-alice", "student", "Report.html", "report.html "]
    folders = [student_dir(s) for s in ids]
    assert len(set(folders)) == len(ids), "two students share a results folder"
    assert student_dir("report.html") == "student-report.html"
    assert student_dir("student-report.html") == "student-student-report.html"
    assert student_dir("alice") == "alice" and [student_dir(s) for s in ids] == folders
    assert not any(f in RESERVED or f.startswith(".") for f in folders)


# -- zips are streamed with a total cap -------------------------------------------------------------------------
def test_a_zip_of_2000_copies_is_read_in_bounded_memory(tmp_path):
    import warnings

    from coursekit._bulk.intake import MAX_NOTES, collect
    from coursekit.registry import load_course

    klass = tmp_path / "class"
    klass.mkdir()
    with warnings.catch_warnings(), zipfile.ZipFile(klass / "zed.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")
        for i in range(2000):
            zf.writestr(f"{THREADS}.py" if i % 2 else f"extra/{i}.py", b"#" * (512 * 1024))
    assert (klass / "zed.zip").stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        intake = collect(klass, list(load_course(ROOT).exercises), tmp_path / "staging")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024, f"intake held {peak} bytes for a zip that would unpack to 1 GB"
    (sub,) = intake.students
    assert list(sub.files) == [THREADS] and len(sub.notes) == MAX_NOTES + 1


def test_a_submission_folder_deeper_than_the_recursion_limit_is_read(tmp_path):
    from coursekit._bulk.intake import MAX_DEPTH, collect
    from coursekit.registry import load_course

    student = tmp_path / "class" / "deep"
    (student / "threads").mkdir(parents=True)
    (student / f"{THREADS}.py").write_text("def main():\n    pass\n")
    _deep(student, sys.getrecursionlimit() + 200)
    (sub,) = collect(tmp_path / "class", list(load_course(ROOT).exercises), tmp_path / "staging").students
    assert list(sub.files) == [THREADS] and any(f"more than {MAX_DEPTH} deep" in n for n in sub.notes)
    assert reading.remove_tree(tmp_path / "class") == []


# -- never as root ----------------------------------------------------------------------------------------------
@pytest.mark.skipif(os.geteuid() != 0, reason="only a grader running as root could run student code as root")
def test_grading_as_root_without_a_uid_level_is_refused_with_the_fix(tmp_path, monkeypatch):
    from coursekit._judge import runner, sandbox
    from coursekit._judge.sandbox import IsolationRefused, Sandbox

    monkeypatch.setattr(sandbox, "_reachable", lambda path: False)  # as with a venv or pyenv under /root
    with pytest.raises(IsolationRefused) as refused:
        runner.use_sandbox(Sandbox(levels=("uid",)))  # no namespaces: the fallback was root
    text = str(refused.value)
    for words in ("would run as root", "ordinary (non-root) user", "every user may read and run",
                  "allow namespaces", "--unsafe"):
        assert words in text, words
    assert runner._sandbox is None


@pytest.mark.skipif(os.geteuid() != 0, reason="only a grader running as root could run student code as root")
def test_unsafe_grades_as_root_and_every_record_says_so(tmp_path, monkeypatch):
    from coursekit._judge import runner, sandbox
    from coursekit._judge.sandbox import Sandbox
    from coursekit.grading import grade_exercise
    from coursekit.registry import load_course

    monkeypatch.setattr(sandbox, "_reachable", lambda path: False)
    exercise = load_course(ROOT).get(THREADS)
    runner.use_sandbox(Sandbox(levels=("uid",), unsafe=True))
    try:
        result = grade_exercise(exercise, ROOT / "tests/catalogue" / THREADS / "correct/thread_objects.py")
    finally:
        runner.use_sandbox(None)
    sb = result.run_info["sandbox"]
    assert sb["level"] == "limits" and sb["unsafe"] is True and sb["unprivileged_user"] is False
    assert sb["network"] == "not isolated"


def test_the_supervisor_never_tries_root_levels_unless_unsafe(monkeypatch):
    sys.path.insert(0, str(ROOT / "coursekit" / "_judge"))
    try:
        import supervise
    finally:
        sys.path.pop(0)
    monkeypatch.setattr(supervise.os, "geteuid", lambda: 0)
    job = {"sandbox": {"uid": 61000, "exe_reachable": False, "levels": [], "never_root": True}}
    assert supervise._levels(job) == ["namespaces"]
    job["sandbox"]["exe_reachable"] = True
    assert supervise._levels(job) == ["namespaces", "uid"]
    job["sandbox"]["never_root"] = False
    assert supervise._levels(job) == ["namespaces", "uid", "limits"]


# -- the run's settings name no host folder --------------------------------------------------------------------
def test_the_runs_environment_and_guard_settings_name_no_course_folder(tmp_path, monkeypatch):
    from coursekit._judge.sandbox import Sandbox, hidden_digest, prepare_box, release_box, sandbox_job

    course, submissions, results = tmp_path / "course", tmp_path / "submissions", tmp_path / "results"
    for folder in (course, submissions, results):
        folder.mkdir()
    module = submissions / "alice.py"
    module.write_text("def main():\n    pass\n")
    monkeypatch.setenv("PATH", f"{course}/.venv/bin:/usr/bin:/bin")
    monkeypatch.setenv("COURSE_HOME", str(course))
    settings = Sandbox(hide=(course, submissions, results))
    work = tmp_path / "run"
    work.mkdir()
    box = prepare_box(settings, work, module, None)
    try:
        job = sandbox_job(settings, box, work)
        spec = box.guard_spec()
    finally:
        release_box(box)
    seen = json.dumps({"env": job["env"], "cmd": job["cmd"], "guard": spec})
    for folder in (course, submissions, results):
        assert str(folder) not in seen, folder
    salt = spec["hidden"]["salt"]
    assert hidden_digest(salt, str(course.resolve())) in spec["hidden"]["digests"]


def test_the_guard_refuses_a_hidden_folder_it_knows_only_by_digest(tmp_path):
    from coursekit._engine.guard import _Guard
    from coursekit._judge.sandbox import hidden_digest

    secret = tmp_path / "course"
    (secret / "solutions").mkdir(parents=True)
    salt = "00ff"
    guard = _Guard({"kit": str(tmp_path / "kit"), "out": str(tmp_path / "guard.jsonl"),
                    "hidden": {"salt": salt, "digests": [hidden_digest(salt, str(secret))]}})
    assert guard._hidden(str(secret / "solutions" / "x.py")) and guard._hidden(str(secret))
    assert not guard._hidden(str(tmp_path / "elsewhere")) and not guard._hidden("/")
    assert stat.S_ISREG(os.stat(tmp_path / "guard.jsonl").st_mode)


def _without_cap_sys_admin() -> bool:
    import shutil
    import subprocess

    return os.geteuid() == 0 and shutil.which("capsh") is not None and subprocess.run(
        ["capsh", "--drop=cap_sys_admin", "--", "-c", "true"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _without_cap_sys_admin(), reason="needs root and capsh (a container without CAP_SYS_ADMIN)")
def test_course_grade_as_root_without_namespaces_refuses_unless_unsafe(tmp_path):
    """The real setup of the issue: root without CAP_SYS_ADMIN (a default container), so no namespaces; the
    `uid` level is made unavailable (as with an interpreter under /root) by forcing the levels it may try."""
    import shlex
    import subprocess

    from coursekit._judge.sandbox import _reachable

    klass = tmp_path / "class"
    (klass / "alice" / "threads").mkdir(parents=True)
    (klass / "alice" / f"{THREADS}.py").write_bytes((ROOT / "tests/catalogue" / THREADS /
                                                     "correct/thread_objects.py").read_bytes())
    if _reachable(Path(os.path.realpath(sys.executable))):
        pytest.skip("this interpreter can run at the uid level: nothing would run as root")

    def grade(*extra: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "coursekit", "grade", str(klass), "--out", str(tmp_path / "out"),
               "--exercise", THREADS, "--jobs", "1", *extra]
        return subprocess.run(["capsh", "--drop=cap_sys_admin", "--", "-c", shlex.join(cmd)], cwd=ROOT,
                              capture_output=True, text=True, check=False, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})

    refused = grade()
    assert refused.returncode != 0 and "would run as root" in refused.stderr and "unshare" in refused.stderr
    assert not (tmp_path / "out" / "grades.csv").exists()
    unsafe = grade("--unsafe")
    assert unsafe.returncode == 0, unsafe.stderr
    data = json.loads((tmp_path / "out" / "alice" / "results.json").read_text(encoding="utf-8"))
    assert data["extra_data"]["unsafe"] is True and data["extra_data"]["protections"]["unsafe"] is True
    assert data["extra_data"]["protections"]["network"] == "not isolated"
    assert "Graded with --unsafe" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def _random_value(rng: random.Random, depth: int) -> object:
    kind = rng.random()
    if depth > 10 or kind < 0.5:
        return rng.choice([rng.randint(-10**6, 10**6), rng.random(), None, True,
                           "x" * rng.choice([0, 3, 120, 499, 500, 501, 800]), "é\n\"" * rng.randint(0, 200)])
    if kind < 0.6:
        return list(range(rng.choice([999, 1000, 1001])))  # a long flat list, at the items cap or past it
    if kind < 0.8:
        return [_random_value(rng, depth + 1) for _ in range(rng.choice([0, 1, 2, 3]))]
    return {f"k{i}": _random_value(rng, depth + 1) for i in range(rng.choice([0, 1, 2, 4]))}


def test_a_short_line_is_read_as_the_capping_walk_would_read_it():
    # parse_events skips the walk for lines too short to hold anything past a cap: the two must agree.
    rng = random.Random(7)  # noqa: S311 - seeded test data
    limits = ReadLimits()
    for _ in range(400):
        event = {"e": "line", "t": rng.random(), "x": _random_value(rng, 1)}
        raw = json.dumps(event).encode()
        got, _, _ = reading.parse_events(raw, limits)
        try:
            walked = [reading._Capper(limits).value(json.loads(raw), 0)]
        except ValueError:
            walked = []
        assert got == walked, raw[:200]
