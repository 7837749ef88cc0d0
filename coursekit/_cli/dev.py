"""Instructor commands: ``course new <folder>/<name>`` and ``course dev check``.

The work is done in ``coursekit._dev``; this module only reads options and presents the report.
"""

from __future__ import annotations

import os
import sys
import time

import click

from coursekit._cli.common import current_course
from coursekit._dev.course_check import Part, run_dev_check
from coursekit._dev.mutants import MutantReport, MutantVerdict
from coursekit._dev.mutate import OPERATORS
from coursekit._dev.scaffold import ScaffoldError, scaffold
from coursekit.models import MODEL_NAMES
from coursekit.registry import RegistryError


@click.command(name="new")
@click.argument("exercise_id", metavar="FOLDER/NAME")
@click.option("--title", help="The exercise's title in course.toml (default: from the name).")
@click.option("--model", type=click.Choice(MODEL_NAMES),
              help="The concurrency model, for a folder other than threads/, processes/, coroutines/.")
def new(exercise_id: str, title: str | None, model: str | None) -> None:
    """Scaffold a new exercise: stub, reference solution, grader and course.toml entry, from a template."""
    course = current_course()
    try:
        made = scaffold(course.root, exercise_id, title=title, model=model)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    for path in made.files:
        click.echo(f"created  {path.relative_to(course.root)}")
    click.echo(f"appended [[exercise]] {made.id} to {made.registry.name}")
    click.echo(f"\nNext: edit the three files (the template is a working {made.model} exercise), add wrong and "
               f"correct submissions under tests/catalogue/{made.id}/, then run\n    course dev check {made.id}")


def _print_part(part: Part) -> None:
    mark = "ok  " if not part.problems else "FAIL"
    click.echo(f"{mark} {part.name}: {part.checked} checked, {len(part.problems)} problem(s) ({part.seconds:.1f} s)")
    for problem in part.problems:
        click.echo(f"     - {problem}")


def _print_mutants(report: MutantReport, verbose: bool) -> None:
    counts: dict[str, int] = {}
    for o in report.outcomes:
        counts[o.verdict] = counts.get(o.verdict, 0) + 1
    summary = ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) or "no mutant (no operator applies)"
    click.echo(f"  {report.exercise.id}: {len(report.outcomes)} mutants: {summary}")
    for o in report.outcomes:
        if o.verdict is MutantVerdict.KILLED and not verbose:
            continue
        m = o.mutant
        detail = {MutantVerdict.KILLED: f"rejected by {', '.join(o.failed_checks)}",
                  MutantVerdict.EQUIVALENT: o.note,
                  MutantVerdict.ACCEPTED: f"accepted in course.toml: {o.note}"}.get(o.verdict,
                                                                                  o.note or "the grader accepts it")
        click.echo(f"    {o.verdict.upper():<10} {m.op:<20} line {m.line:<4} {m.what}  [{detail}]")


@click.group(name="dev")
def dev() -> None:
    """Instructor tools: check the whole course before students see it."""


@dev.command(name="check")
@click.argument("ids", nargs=-1)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=lambda: os.cpu_count() or 2, show_default="cores",
              help="Gradings to run at the same time.")
@click.option("--mutants/--no-mutants", default=True, help="Derive and grade concurrency mutants (the slow part).")
@click.option("--verdicts/--no-verdicts", default=True,
              help="Grade solutions, stubs and the catalogue (skip to look at mutants only).")
@click.option("--verbose", "-v", is_flag=True, help="List killed mutants too.")
@click.option("--list-operators", is_flag=True, help="List the mutation operators and stop.")
def check(ids: tuple[str, ...], jobs: int, mutants: bool, verdicts: bool, verbose: bool, list_operators: bool) -> None:
    """Check the course: registry and files, solutions pass, stubs fail, catalogue verdicts, mutants rejected.

    IDS restricts the grading to some exercises (ids, folders or prefixes); the registry is always checked whole.
    """
    if list_operators:
        for op in OPERATORS:
            click.echo(f"{op.name:<22} {op.doc}")
        return
    course = current_course()
    start = time.perf_counter()
    try:
        report = run_dev_check(course, ids, jobs=jobs, verdicts=verdicts, mutants=mutants, progress=_print_part)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    if report.mutants:
        click.echo("\nMutants (killed: the grader rejects the mistake; "
                   "equivalent: behaves exactly like the reference):")
        for mr in report.mutants:
            _print_mutants(mr, verbose)
    elapsed = time.perf_counter() - start
    if report.ok:
        click.echo(f"\ncourse dev check: all good ({elapsed:.0f} s, {jobs} jobs)")
        return
    click.echo(f"\ncourse dev check: {len(report.problems)} problem(s) ({elapsed:.0f} s, {jobs} jobs)", err=True)
    sys.exit(1)


def register(group: click.Group) -> None:
    """Add the instructor commands to the ``course`` group."""
    group.add_command(new)
    group.add_command(dev)
