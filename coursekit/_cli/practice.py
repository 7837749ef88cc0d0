"""Student commands of ``course``: list and check (practice workflow)."""

from __future__ import annotations

import sys

import click

from coursekit._cli.common import current_course
from coursekit.grading import grade_exercise


@click.command()
@click.argument("ids", nargs=-1)
def check(ids: tuple[str, ...]) -> None:
    """Grade exercises (all, or the given ids / file paths / unique prefixes)."""
    course = current_course()
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


@click.command(name="list")
def list_() -> None:
    """List the exercises in course order."""
    for ex in current_course().exercises:
        click.echo(f"{ex.order:>2}. {ex.id:<42} {ex.model:<11} {ex.max_points:g} pts  {ex.title}")


def register(group: click.Group) -> None:
    """Add the student commands to the ``course`` group."""
    group.add_command(check)
    group.add_command(list_)
