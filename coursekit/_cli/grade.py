"""Instructor commands of ``course``: ``grade`` a whole class, ``export gradescope``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from coursekit._cli.common import current_course


@click.command()
@click.argument("submissions", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for grades.csv, report.html and one folder per student.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Files graded at once (default: cores).")
@click.option("--exercise", "exercises", multiple=True, metavar="ID", help="Grade only this exercise (repeatable).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="S",
              help="Real seconds a run may take (default: wall_s of course.toml).")
@click.option("--force", is_flag=True, help="Grade again even what the cache already holds.")
def grade(submissions: Path, out: Path, jobs: int | None, exercises: tuple[str, ...], timeout: float | None,
          force: bool) -> None:
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

    from coursekit._bulk import BulkError, grade_class, write_all, write_report

    course = current_course()
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
                progress=lambda done, total: progress.update(task, completed=done))
    except BulkError as exc:
        raise click.ClickException(str(exc)) from None
    write_all(result, out)
    write_report(result, out / "report.html")
    click.echo(f"{len(result.students)} student(s): graded {result.graded} file(s), reused {result.reused} from "
               f"the cache, in {result.seconds:.1f} s.")
    sb = result.protections()
    if sb:
        click.echo(f"isolation: {sb.get('level')}; unprivileged user: {'yes' if sb.get('unprivileged_user') else 'no'};"
                   f" network: {sb.get('network')}")
    click.echo(f"wrote {out / 'grades.csv'}, {out / 'report.html'} and one folder per student")
    if result.internal_errors:
        click.echo(f"the grader failed on {result.internal_errors} file(s); see report.html", err=True)
        sys.exit(1)


@click.group()
def export() -> None:
    """Export the course to other grading platforms."""


@export.command()
@click.option("--out", "out", default="autograder.zip", show_default=True, type=click.Path(path_type=Path))
def gradescope(out: Path) -> None:
    """Build a Gradescope autograder zip (setup.sh, run_autograder, the kit and the course)."""
    from coursekit._bulk.gradescope import build_zip

    names = build_zip(current_course(), out)
    click.echo(f"wrote {out} ({len(names)} files): upload it as a Gradescope programming assignment's autograder")


def register(group: click.Group) -> None:
    """Add the instructor commands to the ``course`` group."""
    group.add_command(grade)
    group.add_command(export)
