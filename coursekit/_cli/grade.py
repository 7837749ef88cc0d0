"""Instructor commands of ``course``: ``grade`` a whole class (or one shard of it, and ``grade merge`` the shards),
``export gradescope``, and ``export kubernetes|slurm|github-actions`` (job definitions for grading in shards)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from coursekit._cli.common import current_course
from coursekit._cli.default_group import DefaultGroup

if TYPE_CHECKING:
    from coursekit._bulk import ClassResult
    from coursekit._bulk.lms import Roster, RosterMatch
    from coursekit._bulk.shards import ShardSpec


@click.command()
@click.argument("submissions", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for grades.csv, report.html and one folder per student.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Files graded at once (default: cores).")
@click.option("--exercise", "exercises", multiple=True, metavar="ID", help="Grade only this exercise (repeatable).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="S",
              help="Real seconds a run may take (default: wall_s of course.toml).")
@click.option("--force", is_flag=True, help="Grade again even what the cache already holds.")
@click.option("--shard", default=None, metavar="K/N|N",
              help="Grade only shard K (from 0) of N, by a hash of the student id; with N alone, K is read from "
                   "COURSEKIT_SHARD_INDEX, JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (0-based). Also writes "
                   "shard.json for course grade merge.")
@click.option("--roster", "roster_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="The LMS's roster export (Canvas gradebook CSV, Moodle users CSV): also write canvas.csv or "
                   "moodle.csv.")
@click.option("--roster-id-column", default=None, metavar="COLUMN",
              help="The roster column holding submission ids (default: the candidate that matches the most).")
@click.option("--unsafe", is_flag=True,
              help="Grade even where student code would run as root (no other isolation here); every "
                   "results.json and report.html record it.")
def grade(submissions: Path, out: Path, jobs: int | None, exercises: tuple[str, ...], timeout: float | None,
          force: bool, roster_path: Path | None = None, roster_id_column: str | None = None,
          shard: str | None = None, unsafe: bool = False) -> None:
    """Grade a class: SUBMISSIONS holds one folder or .zip per student, mirroring exercises/."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from coursekit._bulk import BulkError, grade_class
    from coursekit._judge import platform

    if platform.kind() != "linux":  # its sandbox (uids, namespaces, the /proc sweep) is Linux's; say so, first
        raise click.ClickException(
            f"course grade runs on Linux only: here ({platform.kind()}) the runs would get only "
            f"{platform.isolation()}, too little to run a class's untrusted code. Grade on a Linux machine "
            "or CI runner (course export github-actions|kubernetes|slurm); course check still works here.")
    course = current_course()
    spec = _shard_spec(shard)
    if spec is not None and roster_path is not None:
        raise click.ClickException("--roster goes with `course grade merge`, not with --shard: one shard holds only "
                                   "some of the class, so its gradebook would list everyone else as missing")
    roster = _load_roster(roster_path, roster_id_column)
    if out.resolve().is_relative_to(submissions.resolve()):
        raise click.ClickException(f"--out {out} is inside {submissions}: results would be read as a student")
    console = Console(stderr=True)
    progress = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=console)
    task = progress.add_task("grading", total=None)
    try:
        with progress:
            result = grade_class(
                course, submissions, out, jobs=jobs, exercise_ids=exercises, timeout=timeout, force=force,
                on_start=lambda n: progress.update(task, total=n),
                progress=lambda done, total: progress.update(task, completed=done),
                select=spec.holds if spec is not None else None, unsafe=unsafe)
    except BulkError as exc:
        raise click.ClickException(str(exc)) from None
    _write_class(result, roster, out)
    if spec is not None:
        _write_shard(result, spec, out)
    click.echo(f"{len(result.students)} student(s), {_handed_in(result)}: graded {result.graded} file(s), reused "
               f"{result.reused} from the cache, in {result.seconds:.1f} s.")
    sb = result.protections()
    if sb:
        click.echo(f"isolation: {sb.get('level')}; unprivileged user: {'yes' if sb.get('unprivileged_user') else 'no'};"
                   f" network: {sb.get('network')}")
    if unsafe:
        click.echo("graded with --unsafe: student code may have run as root; every results.json and report.html "
                   "say so", err=True)
    click.echo(f"wrote {out / 'grades.csv'}, {out / 'report.html'} and one folder per student")
    if result.regrades:
        click.echo(f"{result.regrades} file(s) could not be graded (the machine failed their run, not the student): "
                   "run the same command again to grade them", err=True)
    if result.internal_errors:
        click.echo(f"the grader failed on {result.internal_errors} file(s); see report.html", err=True)
        sys.exit(1)


def _handed_in(result: ClassResult) -> str:
    """How many files were handed in and how many of them differ: identical files are graded once."""
    same = result.handed_in - result.rejected - result.distinct
    parts = [f"{result.distinct} distinct"]
    if same:
        parts.append(f"{same} identical to another student's, graded once")
    if result.rejected:
        parts.append(f"{result.rejected} refused at intake")
    return f"{result.handed_in} file(s) handed in ({', '.join(parts)})"


def _write_class(result: ClassResult, roster: Roster | None, out: Path) -> None:
    """Everything a class's results folder holds; ``grade`` and ``grade merge`` both write it with this."""
    from coursekit._bulk import write_all, write_report

    write_all(result, out)
    matched = _write_lms(result, roster, out)
    write_report(result, out / "report.html", matched)


def _shard_spec(text: str | None) -> ShardSpec | None:
    import os

    from coursekit._bulk.shards import ShardError, parse_shard

    if text is None:
        return None
    try:
        return parse_shard(text, os.environ)
    except ShardError as exc:
        raise click.ClickException(str(exc)) from None


def _write_shard(result: ClassResult, spec: ShardSpec, out: Path) -> None:
    from coursekit._bulk.shards import write_manifest

    where = "" if spec.source.value == "--shard" else f" (index from {spec.source.value})"
    path = write_manifest(result, spec, out)
    click.echo(f"shard {spec}{where}: {len(result.students)} of the {len(result.roster)} student(s); wrote {path}: "
               "join the shards with course grade merge")


@click.command("merge")
@click.argument("shard_results", nargs=-1, required=True,
                type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the whole class's grades.csv, report.html and student folders.")
@click.option("--roster", "roster_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="As for course grade: also write the LMS's gradebook.")
@click.option("--roster-id-column", default=None, metavar="COLUMN", help="As for course grade.")
def merge(shard_results: tuple[Path, ...], out: Path, roster_path: Path | None, roster_id_column: str | None) -> None:
    """Join the --out folders of every `course grade --shard K/N` into what one unsharded run writes."""
    from coursekit._bulk import BulkError
    from coursekit._bulk.shards import merge_shards

    course = current_course()
    roster = _load_roster(roster_path, roster_id_column)
    try:
        result = merge_shards(course, shard_results, out)
    except BulkError as exc:
        raise click.ClickException(str(exc)) from None
    _write_class(result, roster, out)
    click.echo(f"merged {len(shard_results)} shard(s): {len(result.students)} student(s), {_handed_in(result)}; "
               f"{result.graded} file(s) "
               f"graded and {result.reused} reused in all; wrote {out / 'grades.csv'}, {out / 'report.html'} and one "
               "folder per student")
    if result.internal_errors:
        click.echo(f"the grader failed on {result.internal_errors} file(s); see report.html", err=True)
        sys.exit(1)


def _load_roster(path: Path | None, id_column: str | None) -> Roster | None:
    """Read ``--roster`` before grading, so that a bad roster costs no grading time."""
    from coursekit._bulk.lms import RosterError, load_roster

    if path is None:
        if id_column is not None:
            raise click.ClickException("--roster-id-column needs --roster")
        return None
    try:
        return load_roster(path, id_column)
    except RosterError as exc:
        raise click.ClickException(str(exc)) from None


def _write_lms(result: ClassResult, roster: Roster | None, out: Path) -> RosterMatch | None:
    """Write the roster's LMS gradebook; name every student without a partner on stderr."""
    from coursekit._bulk.lms import write_lms

    if roster is None:
        return None
    matched = write_lms(result, roster, out)
    click.echo(f"roster: {len(matched.matches)} of {len(roster.entries)} matched on {matched.column!r}; wrote "
               f"{out / roster.lms.gradebook} and {out / 'roster-match.csv'}")
    for problem in matched.problems():
        click.echo(f"unmatched: {problem}", err=True)
    return matched


@click.group()
def export() -> None:
    """Export the course to other grading platforms."""


@export.command()
@click.option("--out", "out", default=None, type=click.Path(path_type=Path),
              help="Where to write the zip (default: .course/autograder.zip in the course, which git ignores).")
@click.option("--unsafe", is_flag=True,
              help="Let run_autograder grade even where student code would run as root; results.json records it.")
def gradescope(out: Path | None, unsafe: bool = False) -> None:
    """Build a Gradescope autograder zip (setup.sh, run_autograder, the kit and the course)."""
    from coursekit._bulk.gradescope import build_zip

    course = current_course()
    if out is None:  # never in the course's own tree, where it could be committed by mistake
        out = course.root / ".course" / "autograder.zip"
        out.parent.mkdir(exist_ok=True)
    names = build_zip(course, out, unsafe=unsafe)
    click.echo(f"wrote {out} ({len(names)} files): upload it as a Gradescope programming assignment's autograder")


@export.command("github-classroom")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The student repository (template) to write into.")
@click.option("--course-repo", default=None, metavar="OWNER/NAME",
              help="The private course repository the workflow checks out (default: the variable "
                   "COURSEKIT_COURSE_REPO of the organisation or repository).")
@click.option("--course-ref", default=None, metavar="REF", help="The branch, tag or commit of it to grade with.")
@click.option("--exercise", "exercises", multiple=True, metavar="ID", help="Only this exercise (repeatable).")
def github_classroom(out: Path, course_repo: str | None, course_ref: str | None, exercises: tuple[str, ...]) -> None:
    """Write .github/workflows/classroom.yml and the stubs: each push is graded by the kit, points per check."""
    from coursekit._bulk.classroom import export as export_classroom

    try:
        written = export_classroom(current_course(), out, course_repo=course_repo, course_ref=course_ref,
                                   exercise_ids=exercises)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {len(written)} file(s) under {out}: {', '.join(written)}")
    click.echo("then: make it the assignment's template repository; give the organisation a secret "
               "COURSEKIT_COURSE_TOKEN (read-only access to the course repository)")


@click.command("classroom-result")
@click.argument("repo", type=click.Path(file_okay=False, exists=True, path_type=Path), default=".")
@click.option("--exercise", "exercises", multiple=True, metavar="ID", help="Grade only this exercise (repeatable).")
@click.option("--github-output", is_flag=True, help="Also append result=... to the file named by $GITHUB_OUTPUT.")
def classroom_result(repo: Path, exercises: tuple[str, ...], github_output: bool) -> None:
    """Grade a student repository; print its GitHub Classroom runner result (base64 JSON) on stdout.

    The student's feedback goes to stderr (the Actions log)."""
    import os

    from coursekit._bulk import BulkError
    from coursekit._bulk.classroom import encode, grade_repository

    try:
        graded = grade_repository(current_course(), repo.resolve(), exercises)
    except BulkError as exc:
        raise click.ClickException(str(exc)) from None
    encoded = encode(graded.result)
    click.echo(graded.feedback, err=True)
    click.echo(encoded)
    if github_output:
        target = os.environ.get("GITHUB_OUTPUT")
        if not target:
            raise click.ClickException("--github-output: GITHUB_OUTPUT is not set (it is, inside GitHub Actions)")
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(f"result={encoded}\n")


grade_group = DefaultGroup(
    "grade", default="run", commands={"run": grade, "merge": merge}, options_metavar="",
    subcommand_metavar="[run] SUBMISSIONS --out RESULTS [OPTIONS] | merge SHARD_RESULTS... --out RESULTS",
    help="Grade a class (`course grade SUBMISSIONS --out RESULTS`, the same as `course grade run ...`), one shard "
         "of it (`--shard K/N`), or merge the shards (`course grade merge SHARD_RESULTS... --out RESULTS`).")


def _job_export(engine: str, summary: str) -> click.Command:
    """``course export ENGINE --out DIR [--shards N]``: job definitions from ``coursekit/_bulk/jobs.py``."""

    @click.command(engine, help=summary)
    @click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
                  help="Folder for the job definitions.")
    @click.option("--shards", type=click.IntRange(min=1), default=4, show_default=True, help="Shards (jobs) to run.")
    @click.option("--cpus", type=click.IntRange(min=1), default=2, show_default=True,
                  help="CPUs per shard (its --jobs).")
    @click.option("--image", default="coursekit-grader:latest", show_default=True,
                  help="Kubernetes: the grading image (built from the exported Dockerfile).")
    def command(out: Path, shards: int, cpus: int, image: str) -> None:
        from coursekit._bulk import jobs

        kind = jobs.Engine(engine)
        try:
            written = jobs.write(kind, current_course(), jobs.JobSettings(shards=shards, image=image, cpus=cpus), out)
        except jobs.JobsError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(jobs.describe(kind, written))

    return command


for _engine, _summary in (
        ("kubernetes", "Write a Kubernetes Indexed Job that grades the class in shards, and its merge Job."),
        ("slurm", "Write a Slurm job array that grades the class in shards, and its dependent merge job."),
        ("github-actions", "Write a GitHub Actions workflow: a matrix of shards, then a merge job.")):
    export.add_command(_job_export(_engine, _summary))


def register(group: click.Group) -> None:
    """Add the instructor commands to the ``course`` group."""
    group.add_command(grade_group)
    group.add_command(export)
    group.add_command(classroom_result)
