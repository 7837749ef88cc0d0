"""What bulk grading writes: ``grades.csv``, and per student ``results.json`` (Gradescope) and ``feedback.md``.

Presentation only: everything here reads a ``ClassResult`` and writes files.  ``grades.csv`` depends on nothing
but the verdicts (no times, no paths), so the same inputs give the same bytes.

Per-check visibility (``visibility`` of an exercise in ``course.toml``) is honoured here, in Gradescope's own
terms: each test of ``results.json`` carries its check's visibility, and the top-level ``visibility`` (the total
score and the page's summary) is the strictest of them, because a total shown early would give away the checks
it hides (Gradescope itself hides the total when a test is hidden).  ``feedback.md`` is the student's copy:
every check counts in its totals, but a check that is not ``visible`` shows neither its row nor its message;
when a course has such checks, ``feedback-instructor.md`` beside it holds everything.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any, Literal

import coursekit
from coursekit._bulk.grade_class import ClassResult, StudentResult
from coursekit._practice.hints import choose
from coursekit.registry import Exercise
from coursekit.results import ExerciseResult, Status

RESERVED = {"grades.csv", "report.html", ".cache", "canvas.csv", "moodle.csv", "roster-match.csv", "shard.json"}
INSTRUCTOR_FEEDBACK = "feedback-instructor.md"

VisibilityName = Literal["visible", "hidden", "after_due_date", "after_published"]
STRICTNESS: tuple[VisibilityName, ...] = ("visible", "after_due_date", "after_published", "hidden")
"""Gradescope's visibility values, from always shown to never shown: the top level takes the strictest one.
``after_published`` counts as stricter than ``after_due_date``: grades are published by hand, usually after the
due date."""
WITHHELD_WORDS: dict[VisibilityName, str] = {
    "hidden": "hidden: it counts in your total, but its result is not shown",
    "after_due_date": "shown after the due date",
    "after_published": "shown when your instructor publishes the grades",
}


def check_visibility(exercise: Exercise, check: str) -> VisibilityName:
    """When students see ``check`` of ``exercise`` (``course.toml``'s ``visibility``; ``visible`` if unnamed)."""
    value = str(getattr(exercise, "visibility", {}).get(check, "visible"))
    for name in STRICTNESS:
        if value == name:
            return name
    raise ValueError(f"course.toml, exercise {exercise.id}: visibility {value!r} of check {check!r} must be one "
                     f"of {', '.join(STRICTNESS)}")


def strictest(values: list[VisibilityName]) -> VisibilityName:
    return max(values, key=STRICTNESS.index, default="visible")


def has_withheld_checks(result: ClassResult) -> bool:
    """Whether some check of the graded exercises is not ``visible`` (then an instructor's copy is written)."""
    return any(check_visibility(ex, name) != "visible" for ex in result.exercises for name in ex.points)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


STUDENT_PREFIX = "student-"


def student_dir(student: str) -> str:
    """The folder name of a student's results: the id itself, or ``student-<id>`` when the id is one of our own
    file names (``report.html``), starts with ``.``, or itself starts with ``student-``.

    Injective, so two students never share a folder: a prefixed name always starts with ``student-``, and an
    id that starts with ``student-`` is always prefixed, so ``report.html`` and ``student-report.html`` become
    ``student-report.html`` and ``student-student-report.html``.  Deterministic: it depends on the id alone."""
    clash = student in RESERVED or student.startswith((".", STUDENT_PREFIX))
    return STUDENT_PREFIX + student if clash else student


def ran_unsafe(result: ClassResult) -> bool:
    """Whether the class was graded with ``--unsafe`` (student code allowed to run as root), here or in a shard
    (each run's isolation record says so)."""
    return result.unsafe or any((r.run_info.get("sandbox") or {}).get("unsafe")
                                for sr in result.students for r in sr.exercises.values())


def points(x: float) -> str:
    return f"{x:g}"


def csv_cell(text: str) -> str:
    """A student id as a spreadsheet shows it literally (no formula injection: ``=cmd|...`` stays text)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def write_all(result: ClassResult, out: Path) -> None:
    write_grades(result, out / "grades.csv")
    instructor_copy = has_withheld_checks(result)
    for sr in result.students:
        folder = out / student_dir(sr.student)
        folder.mkdir(exist_ok=True)
        (folder / "results.json").write_text(
            json.dumps(gradescope_results(result, sr), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (folder / "feedback.md").write_text(feedback(result, sr), encoding="utf-8")
        if instructor_copy:
            (folder / INSTRUCTOR_FEEDBACK).write_text(instructor_feedback(result, sr), encoding="utf-8")


def write_grades(result: ClassResult, path: Path) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["student", *[ex.id for ex in result.exercises], "total", "max"])
    for sr in sorted(result.students, key=lambda s: s.student):
        writer.writerow([csv_cell(sr.student), *[points(sr.exercises[ex.id].score) for ex in result.exercises],
                         points(sr.total), points(result.max_total)])
    path.write_bytes(buf.getvalue().encode("utf-8"))


# -- Gradescope's results.json ------------------------------------------------------------------------------
def gradescope_results(result: ClassResult, sr: StudentResult) -> dict[str, Any]:
    """One student's results in Gradescope's results.json format: one test per check of every exercise.

    A hidden test keeps its output: Gradescope shows it to instructors only."""
    tests = []
    seen: list[VisibilityName] = []
    for ex in result.exercises:
        r = sr.exercises[ex.id]
        for i, check in enumerate(r.checks, start=1):
            output = check.message if check.status is not Status.PASSED else ""
            if sr.how[ex.id] in ("not submitted", "rejected") and i > 1:
                output = ""  # the same message on every check says nothing new
            seen.append(check_visibility(ex, check.name))
            tests.append({
                "name": f"{ex.id} :: {check.name} ({check.title})",
                "number": f"{ex.order}.{i}",
                "score": check.points,
                "max_score": check.max_points,
                "status": "passed" if check.status is Status.PASSED else "failed",
                "output": output,
                "output_format": "text",
                "tags": [ex.id],
                "visibility": seen[-1],
            })
    return {
        "score": sr.total,
        "max_score": result.max_total,
        "execution_time": round(sr.seconds, 3),
        "output": "\n".join(sr.submission.notes),
        "output_format": "text",
        "visibility": strictest(seen),
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {
            "student": sr.student,
            "coursekit": coursekit.__version__,
            "exercises": {ex.id: sr.how[ex.id] for ex in result.exercises},
            "protections": _weakest([r.run_info.get("sandbox") for r in sr.exercises.values()]) or None,
            "unsafe": ran_unsafe(result),  # --unsafe: student code may have run as root
            "runs": {ex.id: {k: v for k, v in sr.exercises[ex.id].run_info.items() if k != "sandbox"}
                     for ex in result.exercises if sr.exercises[ex.id].run_info},
        },
    }


def _weakest(sandboxes: list[dict[str, Any] | None]) -> dict[str, Any]:
    order = ["limits", "userns", "userns-root", "uid", "namespaces"]
    seen = [sb for sb in sandboxes if sb]
    return min(seen, key=lambda sb: order.index(sb.get("level", "limits"))) if seen else {}


# -- feedback.md ---------------------------------------------------------------------------------------------
def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text`` (the text may hold whatever a program printed)."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _md(text: str) -> str:
    """Text safe to put in Markdown prose (no markup, no HTML)."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def feedback(result: ClassResult, sr: StudentResult) -> str:
    """What a student reads (``feedback.md``): the total, then per exercise its checks, what failed and why.

    Checks that are not ``visible`` count in the totals but show neither their row nor their message."""
    return _feedback(result, sr, with_messages=True, everything=False)


def instructor_feedback(result: ClassResult, sr: StudentResult) -> str:
    """``feedback`` with every check shown, hidden ones included (``feedback-instructor.md``)."""
    return _feedback(result, sr, with_messages=True, everything=True)


def summary(result: ClassResult, sr: StudentResult) -> str:
    """``feedback`` without the failure messages: for Gradescope's page, where each test shows its own."""
    return _feedback(result, sr, with_messages=False, everything=False)


def _feedback(result: ClassResult, sr: StudentResult, *, with_messages: bool, everything: bool) -> str:
    lines = [f"# Feedback: {_md(sr.student)}", "",
             f"**Total: {points(sr.total)} / {points(result.max_total)}**", ""]
    if sr.submission.notes:
        lines += ["About your submission:", ""] + [f"- {_md(n)}" for n in sr.submission.notes] + [""]
    for ex in result.exercises:
        lines += _exercise_feedback(ex, sr.exercises[ex.id], sr.how[ex.id], with_messages, everything)
    return "\n".join(lines).rstrip() + "\n"


def _exercise_feedback(ex: Exercise, r: ExerciseResult, how: str, with_messages: bool,
                       everything: bool) -> list[str]:
    lines = [f"## {ex.order}. {_md(ex.title)} (`{ex.id}`): {points(r.score)} / {points(r.max_score)}", ""]
    if how in ("not submitted", "rejected"):
        return [*lines, _md(r.checks[0].message), ""]
    visible = [c for c in r.checks if everything or check_visibility(ex, c.name) == "visible"]
    lines += ["| check | points | result |", "|---|---|---|"]
    for c in visible:
        mark = "passed" if c.status is Status.PASSED else ("grader error" if c.status is Status.ERROR else "failed")
        shown_when = check_visibility(ex, c.name)
        mark += "" if shown_when == "visible" else f" ({shown_when.replace('_', ' ')} for students)"
        lines.append(f"| {c.name}: {_md(c.title)} | {points(c.points)} / {points(c.max_points)} | {mark} |")
    lines.append("")
    withheld: dict[VisibilityName, list[float]] = {}
    shown_names = {c.name for c in visible}
    for c in r.checks:
        if c.name not in shown_names:
            withheld.setdefault(check_visibility(ex, c.name), []).append(c.max_points)
    for when in STRICTNESS:
        if when in withheld:
            n, worth = len(withheld[when]), sum(withheld[when])
            lines.append(f"- {n} more check{'s' if n > 1 else ''} ({points(worth)} point{'s' if worth != 1 else ''}):"
                         f" {WITHHELD_WORDS[when]}.")
    if withheld:
        lines.append("")
    shown: set[str] = set()
    for c in visible if with_messages else ():
        if c.status is Status.PASSED or not c.message or c.message in shown:
            continue
        shown.add(c.message)
        fence = _fence(c.message)
        lines += [f"**{c.name}**: {_md(c.title)}", "", fence + "text", c.message, fence, ""]
    failed = [c for c in visible if c.status is not Status.PASSED]
    hint = choose(ex, [c.name for c in failed], list(dict.fromkeys(k for c in failed for k in c.findings))).hints
    if failed and hint:  # the hint for the mistake the visible checks show (coursekit._practice.hints)
        lines += [f"Hint: {_md(hint[0])}", ""]
    return lines
