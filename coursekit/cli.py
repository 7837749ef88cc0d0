"""The ``course`` command (also ``python -m coursekit``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from coursekit.grading import grade_exercise
from coursekit.registry import Course, find_root, load_course


def _course() -> Course:
    root = find_root(Path.cwd())
    if root is None:
        raise click.ClickException("no course.toml here or above: run this inside the course folder")
    return load_course(root)


@click.group()
@click.version_option(package_name="coursekit")
def main() -> None:
    """Concurrency course kit: exercises graded on virtual time."""


@main.command()
@click.argument("ids", nargs=-1)
def check(ids: tuple[str, ...]) -> None:
    """Grade exercises (all, or the given ids / file paths / unique prefixes)."""
    course = _course()
    chosen = []
    for wanted in ids or [e.id for e in course.exercises]:
        key = wanted.removeprefix("exercises/").removesuffix(".py")
        matches = [e for e in course.exercises if e.id == key] or [e for e in course.exercises if e.id.startswith(key)]
        if len(matches) != 1:
            import difflib

            close = difflib.get_close_matches(key, [e.id for e in course.exercises], n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise click.ClickException(f"{wanted!r} does not name one exercise.{hint}")
        chosen.append(matches[0])
    failed = False
    for ex in chosen:
        result = grade_exercise(ex)
        click.echo(f"{ex.id}: {result.score:g}/{result.max_score:g}")
        for c in result.checks:
            mark = "PASS" if c.status.value == "passed" else "FAIL"
            click.echo(f"  {mark} {c.name:<8} {c.points:g}/{c.max_points:g}  {c.title}")
            if c.message and mark == "FAIL":
                click.echo("       " + c.message.replace("\n", "\n       "))
        failed = failed or not result.passed
    sys.exit(1 if failed else 0)


@main.command(name="list")
def list_() -> None:
    """List the exercises in course order."""
    for ex in _course().exercises:
        click.echo(f"{ex.order:>2}. {ex.id:<42} {ex.model:<11} {ex.max_points:g} pts  {ex.title}")
