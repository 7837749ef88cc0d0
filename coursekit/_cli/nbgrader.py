"""``course nbgrader build``: the course as nbgrader assignments (see README, "nbgrader")."""

from __future__ import annotations

from pathlib import Path

import click

from coursekit._cli.common import current_course
from coursekit.registry import Course, Exercise


@click.group(name="nbgrader")
def nbgrader_group() -> None:
    """Run the course on nbgrader: notebooks autograded by the course's own graders."""


@nbgrader_group.command()
@click.argument("course_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--assignment", "-a", metavar="NAME",
              help="Assignment (folder under source/) to write the notebooks into. Default: the course id.")
@click.option("--exercise", "-e", "exercise_ids", metavar="ID", multiple=True,
              help="An exercise id, or a folder such as 'threads' for all of its exercises; repeat it for more. "
                   "Default: every exercise in course.toml.")
def build(course_dir: Path, assignment: str | None, exercise_ids: tuple[str, ...]) -> None:
    """Write an nbgrader course directory COURSE_DIR: nbgrader_config.py, source/<assignment>/<exercise>.ipynb
    and grading/ (what the autograder tests need from this course)."""
    from coursekit._nbgrader import BuildError, CellError, default_assignment
    from coursekit._nbgrader import build as build_notebooks
    from coursekit.grading import GraderError

    course = current_course()
    chosen = _select(course, exercise_ids)
    name = assignment or default_assignment(course)
    try:
        built = build_notebooks(course, course_dir, name, chosen)
    except (BuildError, CellError, GraderError) as exc:
        raise click.ClickException(str(exc)) from None
    for item in built:
        click.echo(f"wrote {item.notebook}  ({item.exercise.max_points:g} points)")
        if item.stub.note:
            click.echo(f"  note: {item.stub.note}")
    click.echo(f"wrote {course_dir / 'nbgrader_config.py'} and {course_dir / 'grading'}/")
    click.echo(f"next: cd {course_dir} && nbgrader generate_assignment {name}")


def _select(course: Course, wanted: tuple[str, ...]) -> list[Exercise]:
    """The exercises ``--exercise`` names, by the kit's one selector (every exercise when none is given)."""
    from coursekit._practice.select import SelectionError, select_exercises

    try:
        return select_exercises(course, wanted)
    except SelectionError as exc:
        raise click.BadParameter(str(exc), param_hint="--exercise") from None


def register(group: click.Group) -> None:
    """Add the ``nbgrader`` commands to the ``course`` group."""
    group.add_command(nbgrader_group)
