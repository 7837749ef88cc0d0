"""GitHub Classroom: each push of a student repository graded by the kit, points per check in Classroom's format.

GitHub Classroom's current autograding is a workflow (``.github/workflows/classroom.yml``) whose runner steps
each set an output ``result``: base64 of a JSON object ``{version, status, max_score, tests[]}``; the reporter
(``classroom-resources/autograding-grading-reporter``) reads each runner's ``<RUNNER>_RESULTS`` environment
variable, adds the tests' ``score`` up against the runners' ``max_score`` and reports the points to Classroom.
Its stock runners give a test all or nothing (or split ``max-score`` evenly over pytest tests); the kit is one
runner, ``coursekit``, whose tests are the course's checks with their own points from ``course.toml``.

The grading command is ``course classroom-result REPO``: it grades the repository's ``exercises/`` as one
submission with the same engine as ``course grade`` (sandboxed, cached nowhere) and prints the runner result.
A check that is not ``visible`` in ``course.toml`` is folded, per exercise, into one test "hidden checks": it
counts in the points, its name and message stay out of the student's log.

What the exported workflow needs and cannot carry: the grading needs the reference solutions and graders, which
must not be in the student's repository, so the workflow checks out the course repository (kit, ``course.toml``,
``solutions/``, ``graders/``) with a read-only token from a secret, ``COURSEKIT_COURSE_TOKEN``.  A student can
edit the workflow (as with any GitHub Classroom autograding), so the points it reports are feedback; the grade
of record should come from ``course grade`` over the repositories as handed in.
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypedDict

from coursekit._bulk.grade_class import ClassResult, StudentResult, grade_class
from coursekit._bulk.gradebook import check_visibility, feedback
from coursekit.registry import Course
from coursekit.results import Status

RUNNER_ID = "coursekit"
"""The runner's step id; the reporter reads its result from ``COURSEKIT_RESULTS``."""
RESULT_VERSION = 1
"""The runner-result version the stock ``autograding-command-grader`` writes (the reporter does not branch on it)."""
COMMAND = "course classroom-result"
COURSE_CHECKOUT = ".coursekit-course"
WORKFLOW = ".github/workflows/classroom.yml"
SUBMISSION_ID = "submission"

TestStatus = Literal["pass", "fail", "error"]


class RunnerTest(TypedDict):
    name: str
    status: TestStatus
    score: float
    message: str
    test_code: str
    filename: str
    line_no: int
    duration: int


class RunnerResult(TypedDict):
    version: int
    status: TestStatus
    max_score: float
    tests: list[RunnerTest]


def _status(statuses: list[Status]) -> TestStatus:
    if any(s is Status.ERROR for s in statuses):
        return "error"
    return "pass" if all(s is Status.PASSED for s in statuses) else "fail"


def runner_result(result: ClassResult, sr: StudentResult) -> RunnerResult:
    """One student's result as a GitHub Classroom runner's: one test per visible check, with its points."""
    tests: list[RunnerTest] = []
    for ex in result.exercises:
        r = sr.exercises[ex.id]
        filename = f"exercises/{ex.id}.py"
        withheld = [c for c in r.checks if check_visibility(ex, c.name) != "visible"]
        withheld_names = {c.name for c in withheld}
        for i, c in enumerate(r.checks):
            if c.name in withheld_names:
                continue
            message = c.message if c.status is not Status.PASSED else ""
            if sr.how[ex.id] in ("not submitted", "rejected") and i > 0:
                message = ""  # the same message on every check says nothing new
            tests.append(RunnerTest(name=f"{ex.id} :: {c.name} ({c.title})", status=_status([c.status]),
                                    score=c.points, message=message, test_code=f"{COMMAND} --exercise {ex.id}",
                                    filename=filename, line_no=0, duration=0))
        if withheld:
            tests.append(RunnerTest(
                name=f"{ex.id} :: hidden checks ({len(withheld)})", status=_status([c.status for c in withheld]),
                score=sum(c.points for c in withheld), message="", test_code=f"{COMMAND} --exercise {ex.id}",
                filename=filename, line_no=0, duration=0))
    statuses = [c.status for r in sr.exercises.values() for c in r.checks]
    return RunnerResult(version=RESULT_VERSION, status=_status(statuses), max_score=result.max_total, tests=tests)


def encode(data: RunnerResult) -> str:
    """The runner's ``result`` output: base64 of the JSON, as the reporter decodes it."""
    return base64.b64encode(json.dumps(data, ensure_ascii=False).encode("utf-8")).decode("ascii")


def decode(text: str) -> RunnerResult:
    data: RunnerResult = json.loads(base64.b64decode(text.strip()).decode("utf-8"))
    return data


@dataclass(frozen=True)
class Graded:
    """What ``course classroom-result`` makes of a repository: the runner result and the student's feedback."""

    result: RunnerResult
    feedback: str


def grade_repository(course: Course, repo: Path, exercise_ids: tuple[str, ...] = ()) -> Graded:
    """Grade ``repo``'s ``exercises/`` (or, without that folder, its files by name) as one submission."""
    with tempfile.TemporaryDirectory(prefix="coursekit-classroom-") as tmp:
        klass = Path(tmp) / "class"
        box = klass / SUBMISSION_ID
        source = repo / "exercises"
        if source.is_dir():
            shutil.copytree(source, box / "exercises", symlinks=True,
                            ignore=shutil.ignore_patterns(".*", "__pycache__"))
        else:
            box.mkdir(parents=True)
            for path in sorted(repo.glob("*.py")):
                shutil.copy(path, box / path.name, follow_symlinks=False)
        result = grade_class(course, klass, Path(tmp) / "out", jobs=1, exercise_ids=exercise_ids,
                             match_names=not source.is_dir())
        student = result.students[0]
        return Graded(runner_result(result, student), feedback(result, student))


# -- the export ------------------------------------------------------------------------------------------------
def workflow(course_repo: str | None, course_ref: str | None, exercise_ids: tuple[str, ...]) -> str:
    """``classroom.yml``: check out both repositories, install the kit, grade, report."""
    repo = course_repo or "${{ vars.COURSEKIT_COURSE_REPO }}"
    ref = f"\n        ref: {course_ref}" if course_ref else ""
    selected = "".join(f" --exercise {ex}" for ex in exercise_ids)
    return f"""# Written by `course export github-classroom`: grade each push with the course kit.
name: Autograding Tests
'on':
- push
- repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 20
    steps:
    - name: Checkout code
      uses: actions/checkout@v4
    - name: Checkout the course (kit, reference solutions, graders)
      uses: actions/checkout@v4
      with:
        repository: {repo}{ref}
        token: ${{{{ secrets.COURSEKIT_COURSE_TOKEN }}}}
        path: {COURSE_CHECKOUT}
    - name: Set up Python
      uses: actions/setup-python@v5
      with:
        python-version: '3.12'
    - name: Install the course kit
      run: python -m pip install ./{COURSE_CHECKOUT}
    - name: {RUNNER_ID}
      id: {RUNNER_ID}
      working-directory: {COURSE_CHECKOUT}
      run: {COMMAND} "$GITHUB_WORKSPACE" --github-output{selected}
    - name: Autograding Reporter
      uses: classroom-resources/autograding-grading-reporter@v1
      env:
        {RUNNER_ID.upper()}_RESULTS: "${{{{steps.{RUNNER_ID}.outputs.result}}}}"
      with:
        runners: {RUNNER_ID}
"""


STUDENT_README = """# {title}

Edit the files under `exercises/`. Every push is graded by the course kit (the workflow
`.github/workflows/classroom.yml`); the Actions tab shows your points per check and what failed, and GitHub
Classroom records the points. Do not edit the workflow or anything under `.github/`.
"""

GITIGNORE = f"__pycache__/\n{COURSE_CHECKOUT}/\n"


def export(course: Course, out: Path, *, course_repo: str | None = None, course_ref: str | None = None,
           exercise_ids: tuple[str, ...] = ()) -> list[str]:
    """Write the student repository's files under ``out`` (the workflow, the stubs); return their paths."""
    known = {ex.id: ex for ex in course.exercises}
    unknown = [e for e in exercise_ids if e not in known]
    if unknown:
        raise ValueError(f"--exercise {unknown[0]!r} is not in course.toml (known: {', '.join(known)})")
    wanted = [known[e] for e in exercise_ids] if exercise_ids else list(course.exercises)
    files: dict[str, bytes] = {
        WORKFLOW: workflow(course_repo, course_ref, tuple(ex.id for ex in wanted)).encode(),
        "README.md": STUDENT_README.format(title=course.title or course.id).encode(),
        ".gitignore": GITIGNORE.encode(),
    }
    for ex in wanted:
        files[f"exercises/{ex.id}.py"] = ex.exercise_path.read_bytes()
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return sorted(files)
