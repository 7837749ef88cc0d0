"""Grading a class on many machines: which shard grades which student, and merging the shards back into one.

One 2-core machine grades about 15 students a minute (the whole course, schedules explored); a batch system the
instructor already has (a Kubernetes Indexed Job, a Slurm job array, a GitHub Actions matrix;
``coursekit/_bulk/jobs.py`` writes their job definitions) runs
N copies of ``course grade --shard K/N`` and then one ``course grade merge``.  Which shard grades a student is a
pure function of the student id (the first 8 bytes of its sha256, modulo N: never Python's ``hash()``, which
changes with ``PYTHONHASHSEED``), so the workers agree without talking to each other.

Shard indexes count from 0 everywhere: ``--shard K/N`` takes K in 0..N-1, and so do the index variables read
for ``--shard N``: ``JOB_COMPLETION_INDEX`` (Kubernetes sets 0..completions-1), ``SLURM_ARRAY_TASK_ID`` (what
the array range says: the exported script uses ``--array=0-(N-1)``), ``COURSEKIT_SHARD_INDEX`` (set explicitly,
e.g. by the exported GitHub Actions workflow from its matrix).

A shard writes what an unsharded run writes for its own students, plus ``shard.json``: a versioned manifest of
everything the class's results are made of (each student's intake notes and verdicts, how each file was graded
and its cache key, the class's notes, the kit's and the course's digests).  ``merge_shards`` checks that the
shards belong together (same kit, course, Python, exercises and submissions; every index once; no student twice),
rebuilds one ``ClassResult`` from the manifests and unites the verdict caches; the caller then writes it with the
same code as an unsharded run, so ``grades.csv``, ``report.html`` and the student folders are the same bytes.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import platform
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import coursekit
from coursekit._bulk.grade_class import (
    CACHE_DIR,
    BulkError,
    ClassResult,
    StudentResult,
    load_graders,
)
from coursekit._bulk.intake import Accepted, Submission
from coursekit._judge.fingerprint import kit_fingerprint
from coursekit.registry import Course, Exercise, Limits
from coursekit.results import ExerciseResult

SHARD_FILE = "shard.json"
MANIFEST_FORMAT = "coursekit-shard"
MANIFEST_VERSION = 1
COURSE_FILES = ("course.toml",)
COURSE_DIRS = ("exercises", "solutions", "graders")
GRADED = ("graded", "error", "regrade")  # how a file run this time (not reused from the cache) is recorded
REGRADE = "regrade"  # a file the machine failed to run: no verdict, graded again next time (never reused)


class ShardError(BulkError):
    """A bad ``--shard`` value, or shards that cannot be merged: names the value and where it came from."""


class IndexSource(enum.Enum):
    """Where a shard's index came from; the value is what messages call it."""

    ARGUMENT = "--shard"
    COURSEKIT = "COURSEKIT_SHARD_INDEX"  # set explicitly (the exported GitHub Actions workflow: its matrix value)
    KUBERNETES = "JOB_COMPLETION_INDEX"  # Kubernetes Indexed Job: 0 .. completions-1
    SLURM = "SLURM_ARRAY_TASK_ID"  # Slurm job array: as the --array range says (exported: 0 .. N-1)


INDEX_VARIABLES = (IndexSource.COURSEKIT, IndexSource.KUBERNETES, IndexSource.SLURM)


@dataclass(frozen=True)
class ShardSpec:
    """The ``index``-th (from 0) of ``count`` shards."""

    index: int
    count: int
    source: IndexSource = IndexSource.ARGUMENT

    def holds(self, student: str) -> bool:
        return shard_of(student, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_of(student: str, count: int) -> int:
    """The shard (0 .. count-1) that grades ``student``: stable across machines, runs and Python versions."""
    digest = hashlib.sha256(student.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count


def _whole(text: str, what: str) -> int:
    if not text.strip().isdigit():
        raise ShardError(f"{what}: {text!r} is not a whole number")
    return int(text)


def parse_shard(text: str, env: Mapping[str, str]) -> ShardSpec:
    """``K/N`` (K from 0), or ``N`` with K read from the first index variable set in ``env``."""
    if "/" in text:
        k_text, _, n_text = text.partition("/")
        count = _whole(n_text, f"--shard {text!r}: the shard count N")
        index = _whole(k_text, f"--shard {text!r}: the shard index K")
        source = IndexSource.ARGUMENT
    else:
        count = _whole(text, f"--shard {text!r}: the shard count N")
        found = {src: env[src.value] for src in INDEX_VARIABLES if env.get(src.value, "").strip()}
        if not found:
            names = ", ".join(src.value for src in INDEX_VARIABLES)
            raise ShardError(f"--shard {text}: no shard index: give --shard K/{text} (K from 0 to {count - 1}) or "
                             f"set one of {names}")
        if len({v.strip() for v in found.values()}) > 1:
            given = ", ".join(f"{src.value}={v!r}" for src, v in found.items())
            raise ShardError(f"--shard {text}: the index variables disagree ({given}); unset all but one")
        source, value = next(iter(found.items()))
        index = _whole(value, f"{source.value} (the shard index for --shard {text})")
    if count < 1:
        raise ShardError(f"--shard {text!r}: the shard count N must be at least 1, not {count}")
    if not 0 <= index < count:
        where = f"--shard {text!r}" if source is IndexSource.ARGUMENT else f"{source.value}={index}"
        hint = ""
        if source is IndexSource.SLURM and index == count:
            hint = f"; a 1-based array? use #SBATCH --array=0-{count - 1}"
        elif source is IndexSource.ARGUMENT and index == count:
            hint = f"; shards count from 0, so the last one is {count - 1}/{count}"
        raise ShardError(f"{where}: the shard index must be from 0 to {count - 1} for {count} shard(s){hint}")
    return ShardSpec(index, count, source)


def course_fingerprint(course: Course) -> str:
    """A digest of what the verdicts depend on in the course: course.toml, exercises, solutions, graders."""
    digest = hashlib.sha256()
    paths = [course.root / name for name in COURSE_FILES]
    for folder in COURSE_DIRS:
        paths += sorted(p for p in (course.root / folder).rglob("*")
                        if "__pycache__" not in p.parts and p.suffix != ".pyc")
    for path in paths:
        if path.is_file() and not path.is_symlink():
            digest.update(path.relative_to(course.root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def roster_digest(students: Sequence[str]) -> str:
    return hashlib.sha256("\0".join(sorted(students)).encode("utf-8", "surrogateescape")).hexdigest()


# -- the manifest ----------------------------------------------------------------------------------------------
class ShardInfo(TypedDict):
    index: int
    count: int
    source: str


class KitInfo(TypedDict):
    version: str
    fingerprint: str
    python: str  # major.minor: the engine's verdicts may depend on it (asyncio semantics change between versions)


class CourseInfo(TypedDict):
    id: str
    fingerprint: str


class ExerciseInfo(TypedDict):
    id: str
    limits: dict[str, Any]  # as graded (``--timeout`` replaces wall_s)


class RosterInfo(TypedDict):
    students: int  # every student of the submissions folder, in every shard
    digest: str


class VerdictEntry(TypedDict):
    how: str  # graded | cached | error | not submitted | rejected
    key: str  # the cache key ("" when nothing was graded)
    result: dict[str, Any]  # ExerciseResult.to_dict()


class StudentEntry(TypedDict):
    student: str
    source: str
    notes: list[str]
    rejected: dict[str, str]
    files: dict[str, str]  # exercise id -> sha256 of the accepted file
    seconds: float
    exercises: dict[str, VerdictEntry]


class Manifest(TypedDict):
    format: str
    version: int
    shard: ShardInfo
    kit: KitInfo
    course: CourseInfo
    exercises: list[ExerciseInfo]
    roster: RosterInfo
    notes: list[str]
    graded: int
    reused: int
    internal_errors: int
    students: list[StudentEntry]


def _python() -> str:
    return ".".join(platform.python_version_tuple()[:2])


def manifest(result: ClassResult, spec: ShardSpec) -> Manifest:
    """Everything the class's results are made of, for this shard's students."""
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "shard": {"index": spec.index, "count": spec.count, "source": spec.source.value},
        "kit": {"version": coursekit.__version__, "fingerprint": kit_fingerprint(), "python": _python()},
        "course": {"id": result.course.id, "fingerprint": course_fingerprint(result.course)},
        "exercises": [{"id": ex.id, "limits": dataclasses.asdict(ex.limits)} for ex in result.exercises],
        "roster": {"students": len(result.roster), "digest": roster_digest(result.roster)},
        "notes": list(result.notes),
        "graded": result.graded,
        "reused": result.reused,
        "internal_errors": result.internal_errors,
        "students": [_student_entry(sr) for sr in sorted(result.students, key=lambda s: s.student)],
    }


def _student_entry(sr: StudentResult) -> StudentEntry:
    sub = sr.submission
    return {
        "student": sr.student, "source": sub.source, "notes": list(sub.notes), "rejected": dict(sub.rejected),
        "files": {ex: acc.digest for ex, acc in sub.files.items()}, "seconds": sr.seconds,
        "exercises": {ex: {"how": sr.how[ex], "key": sr.keys.get(ex, ""), "result": r.to_dict()}
                      for ex, r in sr.exercises.items()},
    }


def write_manifest(result: ClassResult, spec: ShardSpec, out: Path) -> Path:
    path = out / SHARD_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest(result, spec), ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_manifest(folder: Path) -> Manifest:
    path = folder / SHARD_FILE
    if not folder.is_dir():
        raise ShardError(f"{folder}: not a folder (give the --out folders of the shards)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ShardError(f"{folder}: no {SHARD_FILE}, so not the results of a shard "
                         "(course grade SUBMISSIONS --out FOLDER --shard K/N writes one)") from None
    except (OSError, ValueError) as exc:
        raise ShardError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise ShardError(f"{path}: not a coursekit shard manifest (format {data.get('format')!r})"
                         if isinstance(data, dict) else f"{path}: not a coursekit shard manifest")
    if data.get("version") != MANIFEST_VERSION:
        raise ShardError(f"{path}: manifest version {data.get('version')!r}, but this kit reads version "
                         f"{MANIFEST_VERSION}: merge with the kit that graded the shards")
    manifest_data: Manifest = data  # type: ignore[assignment]  # the format and version say it is one
    return manifest_data


# -- merging ---------------------------------------------------------------------------------------------------
def _same(shards: list[tuple[Path, Manifest]], what: str, value: Callable[[Manifest], Any], expected: Any = None,
          here: str = "") -> None:
    """Refuse unless every shard agrees on ``value(manifest)`` (and, if given, it equals ``expected``)."""
    first_folder, first = shards[0]
    for folder, m in shards[1:]:
        if value(m) != value(first):
            raise ShardError(f"cannot merge: {first_folder} and {folder} were graded with different {what} "
                             f"({_short(value(first))} and {_short(value(m))})")
    if expected is not None and value(first) != expected:
        raise ShardError(f"cannot merge: the shards were graded with {what} {_short(value(first))}, but {here} "
                         f"has {_short(expected)}")


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text[:12] if len(text) == 64 and all(c in "0123456789abcdef" for c in text) else text[:200]


def merge_shards(course: Course, folders: Sequence[Path], out: Path) -> ClassResult:
    """One ``ClassResult`` from the shards in ``folders``, as one unsharded run would have made it.

    Raises ``ShardError`` if the shards do not make exactly one class together.  Copies the verdict caches into
    ``out/.cache`` (a verdict both hold is taken from the shard with the lower index)."""
    if not folders:
        raise ShardError("course grade merge: give the folders of the shards")
    target = out.resolve()
    for folder in folders:
        if folder.resolve() == target:
            raise ShardError(f"--out {out} is one of the shards: merge into another folder")
    shards = [(folder, read_manifest(folder)) for folder in folders]
    _same(shards, "kits", lambda m: m["kit"]["fingerprint"], kit_fingerprint(), "this kit")
    _same(shards, "Python versions", lambda m: m["kit"]["python"], _python(), "this Python")
    _same(shards, "courses", lambda m: m["course"]["fingerprint"], course_fingerprint(course),
          f"the course in {course.root}")
    _same(shards, "exercises or limits (--exercise, --timeout)", lambda m: m["exercises"])
    _same(shards, "shard counts", lambda m: m["shard"]["count"])
    _same(shards, "submissions (the folders held different students)", lambda m: m["roster"])
    _same(shards, "class notes (the submissions folders differed)", lambda m: m["notes"])
    count = shards[0][1]["shard"]["count"]
    seen: dict[int, Path] = {}
    for folder, m in shards:
        index = m["shard"]["index"]
        if index in seen:
            raise ShardError(f"cannot merge: shard {index}/{count} is given twice ({seen[index]} and {folder}): "
                             "the shards overlap")
        seen[index] = folder
    missing = [f"{k}/{count}" for k in range(count) if k not in seen]
    if missing:
        raise ShardError(f"cannot merge: shard(s) {', '.join(missing)} missing; give all {count} shard folders")
    owner: dict[str, Path] = {}
    for folder, m in shards:
        for entry in m["students"]:
            if entry["student"] in owner:
                raise ShardError(f"cannot merge: student {entry['student']!r} is in both {owner[entry['student']]} "
                                 f"and {folder}: the shards overlap")
            owner[entry["student"]] = folder
    roster = shards[0][1]["roster"]
    if len(owner) != roster["students"]:
        raise ShardError(f"cannot merge: the shards hold {len(owner)} student(s) but the submissions had "
                         f"{roster['students']}")
    result = _rebuild(course, shards)
    _merge_caches([folder for folder, _ in sorted(shards, key=lambda fm: fm[1]["shard"]["index"])], out)
    return result


def _rebuild(course: Course, shards: list[tuple[Path, Manifest]]) -> ClassResult:
    exercises: list[Exercise] = []
    for info in shards[0][1]["exercises"]:
        try:
            ex = course.get(info["id"])
        except KeyError:
            raise ShardError(f"cannot merge: exercise {info['id']!r} of the shards is not in course.toml") from None
        exercises.append(dataclasses.replace(ex, limits=Limits(**info["limits"])))
    graders = load_graders(exercises)
    students = []
    graded: set[str] = set()
    reused: set[str] = set()
    errors: set[str] = set()
    regrades: set[str] = set()
    for _folder, m in shards:
        for entry in m["students"]:
            students.append(_student(entry))
            for verdict in entry["exercises"].values():
                if verdict["key"]:
                    (graded if verdict["how"] in GRADED else reused).add(verdict["key"])
                    if verdict["how"] == "error":
                        errors.add(verdict["key"])
                    elif verdict["how"] == REGRADE:
                        regrades.add(verdict["key"])
    students.sort(key=lambda s: s.student)
    result = ClassResult(course, exercises, graders, students, list(shards[0][1]["notes"]),
                         roster=tuple(s.student for s in students))
    # one unsharded run grades a file once, however many students handed it in; a file the machine failed to run
    # was run this time (graded counts it, as one run's does) and is to regrade, never reused
    result.graded, result.reused, result.internal_errors = len(graded), len(reused - graded), len(errors)
    result.regrades = len(regrades)
    return result


def _student(entry: StudentEntry) -> StudentResult:
    files = {ex: Accepted(ex, Path(os.devnull), digest) for ex, digest in entry["files"].items()}  # staging is gone
    sub = Submission(entry["student"], entry["source"], files, dict(entry["rejected"]), list(entry["notes"]))
    sr = StudentResult(entry["student"], sub, seconds=entry["seconds"])
    for ex, verdict in entry["exercises"].items():
        sr.exercises[ex] = ExerciseResult.from_dict(verdict["result"], where=f"the shard entry of {entry['student']}")
        sr.how[ex] = verdict["how"]
        if verdict["key"]:
            sr.keys[ex] = verdict["key"]
    return sr


def _merge_caches(folders: list[Path], out: Path) -> int:
    """Copy every cached verdict of the shards into ``out/.cache``; return how many were new there."""
    target = out / CACHE_DIR
    target.mkdir(parents=True, exist_ok=True)
    copied = 0
    for folder in folders:
        cache = folder / CACHE_DIR
        for path in sorted(cache.glob("*.json")) if cache.is_dir() else []:
            if not (target / path.name).exists():
                tmp = target / (path.name + ".tmp")
                shutil.copyfile(path, tmp)
                os.replace(tmp, target / path.name)
                copied += 1
    return copied
