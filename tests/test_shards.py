"""Grading in shards (`course grade --shard K/N`) and merging them (`course grade merge`).

A small class (7 students, 2 exercises: a correct pair of files shared by two students who land in different
shards, wrong ones, a stub, nothing submitted, a non-UTF-8 file, a class note) is graded once unsharded and
then in 3 shards, each a separate `course grade` process taking its index from a different source
(`--shard 0/3`, `JOB_COMPLETION_INDEX`, `COURSEKIT_SHARD_INDEX`).  The merge must write what the unsharded run
wrote: byte for byte when both runs reused the same cached verdicts; and when both graded afresh, byte for byte
but for what the runs themselves differ in (each run's real seconds, the sandbox's uid and its temporary folders,
in results.json and report.html; none of them is a timestamp: the report has none).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit._bulk.shards import (
    SHARD_FILE,
    IndexSource,
    ShardError,
    ShardSpec,
    parse_shard,
    shard_of,
)

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = ROOT / "tests" / "bulk_class" / "submissions"
EXERCISES = ["--exercise", "threads/numbers_letters_threads", "--exercise", "coroutines/numbers_letters_asyncio"]
N = 3
# where the students land (pinned: the assignment must never change between kit versions or machines)
PLACES = {"alice": 2, "carol": 2, "dave": 1, "erin": 0, "stub": 1, "m_nothing": 1, "m_not_utf8": 2}
SOURCES = [({}, "0/3"), ({"JOB_COMPLETION_INDEX": "1"}, "3"), ({"COURSEKIT_SHARD_INDEX": "2"}, "3")]
RUN_SPECIFIC = [  # what two runs of the same class differ in (not timestamps: real seconds, uids, temporary paths)
    (re.compile(rb'"execution_time": [0-9.e+-]+'), b'"execution_time": T'),
    (re.compile(rb'"uid": [0-9]+'), b'"uid": U'),
    (re.compile(rb"\(uid [0-9]+\)"), b"(uid U)"),
    (re.compile(rb"/tmp/coursekit-(kit|run)-[A-Za-z0-9_]+"), b"/tmp/coursekit-TMP"),
]


def course(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID",
                                                             "COURSEKIT_SHARD_INDEX")}
    full = {**base, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "coursekit", *args], cwd=ROOT, env=full, capture_output=True,
                          check=False, text=True, timeout=600)


def files(folder: Path, normalize: bool = False) -> dict[str, bytes]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            for pattern, replacement in RUN_SPECIFIC if normalize else ():
                data = pattern.sub(replacement, data)
            out[path.relative_to(folder).as_posix()] = data
    return out


def without_cache(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in tree.items() if not k.startswith(".cache/")}


def build_class(dest: Path) -> None:
    for student in ("alice", "carol", "dave", "stub"):
        shutil.copytree(SUBMISSIONS / student, dest / student)
    shutil.copytree(SUBMISSIONS / "alice", dest / "erin")  # the same files as alice's, graded in another shard
    (dest / "m_nothing").mkdir()
    (dest / "m_not_utf8" / "threads").mkdir(parents=True)
    (dest / "m_not_utf8" / "threads" / "numbers_letters_threads.py").write_bytes(b"# caf\xe9\nprint(1)\n")
    (dest / "README.txt").write_text("not a student\n")


def run_shards(klass: Path, base: Path, seed: Path | None = None) -> list[Path]:
    """The N shards, each a separate process, all at once; seeded with ``seed``'s verdict cache if given."""
    folders = [base / f"shard-{k}" for k in range(N)]
    procs = []
    for folder, (env, spec) in zip(folders, SOURCES, strict=True):
        if seed is not None:
            shutil.copytree(seed / ".cache", folder / ".cache")
        full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
        for name in ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "COURSEKIT_SHARD_INDEX"):
            if name not in env:
                full.pop(name, None)
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "coursekit", "grade", str(klass), "--out", str(folder), "--shard", spec,
             "--jobs", "1", *EXERCISES], cwd=ROOT, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True))
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
        assert "shard " in out
    return folders


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("shards")
    klass = base / "class"
    build_class(klass)
    whole = base / "whole"
    first = course("grade", str(klass), "--out", str(whole), "--jobs", "2", *EXERCISES)
    assert first.returncode == 0, first.stderr[-3000:]
    fresh = files(whole)
    again = course("grade", str(klass), "--out", str(whole), "--jobs", "2", *EXERCISES)  # every verdict cached
    assert again.returncode == 0, again.stderr[-3000:]
    cached = files(whole)
    fresh_shards = run_shards(klass, base / "fresh")
    seeded_shards = run_shards(klass, base / "seeded", seed=whole)
    merged_fresh = course("grade", "merge", *map(str, fresh_shards), "--out", str(base / "merged-fresh"))
    merged_seeded = course("grade", "merge", *map(str, reversed(seeded_shards)), "--out", str(base / "merged-seeded"))
    return {"base": base, "fresh": fresh, "cached": cached, "fresh_shards": fresh_shards,
            "seeded_shards": seeded_shards, "merged_fresh": merged_fresh, "merged_seeded": merged_seeded}


def test_every_shard_grades_its_own_students(graded):
    for k, folder in enumerate(graded["fresh_shards"]):
        manifest = json.loads((folder / SHARD_FILE).read_text(encoding="utf-8"))
        assert manifest["shard"]["index"] == k and manifest["shard"]["count"] == N
        assert [s["student"] for s in manifest["students"]] == sorted(s for s, i in PLACES.items() if i == k)
        assert manifest["roster"]["students"] == len(PLACES)
    sources = [json.loads((f / SHARD_FILE).read_text())["shard"]["source"] for f in graded["fresh_shards"]]
    assert sources == ["--shard", "JOB_COMPLETION_INDEX", "COURSEKIT_SHARD_INDEX"]


def test_merge_of_cached_shards_is_byte_identical(graded):
    done = graded["merged_seeded"]
    assert done.returncode == 0, done.stderr
    merged = files(graded["base"] / "merged-seeded")
    assert "0 file(s) graded and 7 reused" in done.stdout, "the kit changed while the test ran? " + done.stdout
    assert merged.keys() == graded["cached"].keys()
    assert [k for k in merged if merged[k] != graded["cached"][k]] == []


def test_merge_of_fresh_shards_is_what_one_fresh_run_writes(graded):
    done = graded["merged_fresh"]
    assert done.returncode == 0, done.stderr
    assert "7 file(s) graded and 0 reused" in done.stdout  # alice's and erin's files count once, as in one run
    out = graded["base"] / "merged-fresh"
    merged, fresh = files(out, normalize=True), files(graded["base"] / "whole", normalize=True)
    assert sorted(merged) == sorted(fresh)  # the caches hold the same verdicts' keys
    fresh_run = {k: v for k, v in graded["fresh"].items()}
    for pattern, replacement in RUN_SPECIFIC:
        fresh_run = {k: pattern.sub(replacement, v) for k, v in fresh_run.items()}
    differ = [k for k in without_cache(merged) if merged[k] != fresh_run[k]]
    assert differ == []
    assert (out / "grades.csv").read_bytes() == graded["fresh"]["grades.csv"]  # no normalizing needed there
    assert not (out / SHARD_FILE).exists()


def test_merge_refuses_overlapping_missing_and_foreign_shards(graded, tmp_path, monkeypatch):
    from coursekit.cli import main

    monkeypatch.chdir(ROOT)
    shards = [str(p) for p in graded["seeded_shards"]]
    runner = CliRunner()

    def merge(*folders: str) -> str:
        done = runner.invoke(main, ["grade", "merge", *folders, "--out", str(tmp_path / "out")])
        assert done.exit_code != 0, done.output
        return done.output

    assert "given twice" in merge(*shards, shards[0]) and "overlap" in merge(*shards, shards[0])
    assert "shard(s) 1/3 missing" in merge(shards[0], shards[2])
    # a copy of shard 0 relabelled as shard 1: every index once, but its students are in two shards
    fake = tmp_path / "fake"
    shutil.copytree(shards[0], fake)
    manifest = json.loads((fake / SHARD_FILE).read_text(encoding="utf-8"))
    manifest["shard"]["index"] = 1
    (fake / SHARD_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    text = merge(shards[0], str(fake), shards[2])
    assert "student 'erin' is in both" in text and "overlap" in text
    for field, words in (("kit", "different kits"), ("course", "different courses")):
        other = tmp_path / field
        shutil.copytree(shards[1], other)
        manifest = json.loads((other / SHARD_FILE).read_text(encoding="utf-8"))
        manifest[field]["fingerprint"] = "0" * 64
        (other / SHARD_FILE).write_text(json.dumps(manifest), encoding="utf-8")
        text = merge(shards[0], str(other), shards[2])
        assert words in text and "000000000000" in text, text
    assert "no shard.json" in merge(str(graded["base"] / "whole"))
    assert "is one of the shards" in runner.invoke(main, ["grade", "merge", *shards, "--out", shards[0]]).output


def test_shard_assignment_is_stable():
    assert {s: shard_of(s, N) for s in PLACES} == PLACES
    counts = [0] * 8
    for i in range(4000):
        counts[shard_of(f"student{i:05d}", 8)] += 1
    assert min(counts) > 400 and max(counts) < 600  # about 500 each
    assert shard_of("Zoë \udcff", 5) in range(5)  # an id that is not valid UTF-8 (os.listdir's escapes) still hashes


@pytest.mark.parametrize(("text", "env", "expected"), [
    ("0/4", {}, ShardSpec(0, 4)),
    ("3/4", {"JOB_COMPLETION_INDEX": "1"}, ShardSpec(3, 4)),  # K/N wins over the variables
    ("4", {"JOB_COMPLETION_INDEX": "2"}, ShardSpec(2, 4, IndexSource.KUBERNETES)),
    ("4", {"SLURM_ARRAY_TASK_ID": "3"}, ShardSpec(3, 4, IndexSource.SLURM)),
    ("4", {"COURSEKIT_SHARD_INDEX": "0"}, ShardSpec(0, 4, IndexSource.COURSEKIT)),
    ("4", {"COURSEKIT_SHARD_INDEX": "1", "SLURM_ARRAY_TASK_ID": "1"}, ShardSpec(1, 4, IndexSource.COURSEKIT)),
    ("1", {"JOB_COMPLETION_INDEX": "0"}, ShardSpec(0, 1, IndexSource.KUBERNETES)),
])
def test_shard_specs(text, env, expected):
    assert parse_shard(text, env) == expected


@pytest.mark.parametrize(("text", "env", "words"), [
    ("4/4", {}, ["--shard '4/4'", "from 0 to 3", "last one is 3/4"]),
    ("-1/4", {}, ["-1", "not a whole number"]),
    ("a/4", {}, ["'a'", "not a whole number"]),
    ("1/0", {}, ["at least 1", "not 0"]),
    ("2/x", {}, ["'x'", "shard count"]),
    ("4", {}, ["--shard 4", "no shard index", "JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "COURSEKIT_SHARD_INDEX"]),
    ("4", {"JOB_COMPLETION_INDEX": "7"}, ["JOB_COMPLETION_INDEX=7", "from 0 to 3"]),
    ("4", {"SLURM_ARRAY_TASK_ID": "4"}, ["SLURM_ARRAY_TASK_ID=4", "--array=0-3"]),
    ("4", {"SLURM_ARRAY_TASK_ID": "one"}, ["SLURM_ARRAY_TASK_ID", "'one'"]),
    ("4", {"JOB_COMPLETION_INDEX": "1", "SLURM_ARRAY_TASK_ID": "2"}, ["disagree", "JOB_COMPLETION_INDEX='1'"]),
])
def test_bad_shard_specs_name_the_value_and_where_it_came_from(text, env, words):
    with pytest.raises(ShardError) as caught:
        parse_shard(text, env)
    assert all(w in str(caught.value) for w in words), str(caught.value)


def test_the_command_refuses_a_bad_shard_before_grading(tmp_path, monkeypatch):
    from coursekit.cli import main

    monkeypatch.chdir(ROOT)
    for name in ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "COURSEKIT_SHARD_INDEX"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "class").mkdir()
    done = CliRunner().invoke(main, ["grade", str(tmp_path / "class"), "--out", str(tmp_path / "o"), "--shard", "3/3"])
    assert done.exit_code != 0 and "--shard '3/3'" in done.output and not (tmp_path / "o").exists()
    monkeypatch.setenv("JOB_COMPLETION_INDEX", "x")
    done = CliRunner().invoke(main, ["grade", str(tmp_path / "class"), "--out", str(tmp_path / "o"), "--shard", "3"])
    assert done.exit_code != 0 and "JOB_COMPLETION_INDEX" in done.output and "'x'" in done.output
    roster = tmp_path / "roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section\nAlice,1,alice,alice,A\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["grade", str(tmp_path / "class"), "--out", str(tmp_path / "o"), "--shard", "0/3",
                                     "--roster", str(roster)])
    assert done.exit_code != 0 and "course grade merge" in done.output and not (tmp_path / "o").exists()


def test_grade_help_shows_both_forms(monkeypatch):
    from coursekit.cli import main

    text = CliRunner().invoke(main, ["grade", "--help"], terminal_width=120).output
    assert "merge" in text and "SUBMISSIONS" in text and "--shard" in text and "--out" in text
    merge = CliRunner().invoke(main, ["grade", "merge", "--help"]).output
    assert "SHARD_RESULTS..." in merge


def test_a_regrade_is_counted_to_regrade_not_reused_when_shards_are_merged():
    # Two shards: one file graded, one reused from the cache, one the machine failed to run (a regrade, handed in
    # by two students in different shards: one file).  The merge counts as one unsharded run does.
    import dataclasses

    from coursekit._bulk.shards import _rebuild
    from coursekit.registry import load_course
    from coursekit.results import CheckResult, ExerciseResult, Status

    ex = "threads/numbers_letters_threads"

    def entry(student: str, how: str, key: str, run_info: dict[str, object]) -> dict[str, object]:
        result = ExerciseResult(ex, [CheckResult("runs", "runs", Status.ERROR, 0.0, 1.0, "")], run_info)
        return {"student": student, "source": student, "notes": [], "rejected": {}, "files": {ex: key},
                "seconds": 0.0, "exercises": {ex: {"how": how, "key": key, "result": result.to_dict()}}}

    def shard(*students: dict[str, object]) -> dict[str, object]:
        return {"exercises": [{"id": ex, "limits": {}}], "notes": [], "students": list(students)}

    course_ = load_course(ROOT)
    limits = dataclasses.asdict(course_.get(ex).limits)
    shards = [shard(entry("ann", "graded", "k1", {}), entry("bob", "regrade", "k3", {"regrade": True})),
              shard(entry("cid", "cached", "k2", {}), entry("dan", "regrade", "k3", {"regrade": True}))]
    for m in shards:
        m["exercises"][0]["limits"] = limits
    result = _rebuild(course_, [(Path(f"s{k}"), m) for k, m in enumerate(shards)])  # type: ignore[misc]
    assert (result.regrades, result.reused, result.graded) == (1, 1, 2)
