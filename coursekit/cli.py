"""The ``course`` command (also ``python -m coursekit``).

Each area of the kit keeps its commands in its own module under ``coursekit/_cli/``; this module only
assembles them into one click group, so adding an area never means editing another area's code.
"""

from __future__ import annotations

import click

from coursekit._cli import dev, grade, nbgrader, practice


@click.group()
@click.version_option(package_name="coursekit")
def main() -> None:
    """Concurrency course kit: exercises graded on virtual time."""


for _area in (practice, grade, dev, nbgrader):
    _area.register(main)
