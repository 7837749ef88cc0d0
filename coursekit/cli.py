"""The ``course`` command (also ``python -m coursekit``).

Each area of the kit keeps its commands in its own module under ``coursekit/_cli/``; this module only
assembles them into one click group, so adding an area never means editing another area's code.

Areas are imported lazily, when one of their commands is asked for: ``course check`` never loads the mutation
tester, and ``import coursekit.cli`` loads neither the grading machinery nor any area.  So the group needs to
know each area's command names without importing it: ``AREAS`` lists them (a test checks the list against what
each area's ``register`` adds).  ``course --help`` imports every area, to show each command's help line.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

AREAS: dict[str, tuple[str, ...]] = {
    "coursekit._cli.practice": ("list", "next", "check", "hint", "watch", "reset", "solution"),
    "coursekit._cli.grade": ("grade", "export", "classroom-result"),
    "coursekit._cli.dev": ("new", "dev"),
    "coursekit._cli.nbgrader": ("nbgrader",),
    "coursekit._cli.trace": ("trace",),
}
"""Each command area (a module with ``register(group)``), and the names of the commands it registers."""

RUNS_PROGRAMS = frozenset({"check", "watch", "trace"})
"""The commands whose first step is a run of a program: its warm interpreter is started before the area loads."""

SHORT_HELP_LIMIT = 300
"""Characters of a command's first sentence ``course --help`` shows (wrapped): enough for any whole sentence."""


class AreaGroup(click.Group):
    """A click group whose commands come from the areas of ``AREAS``, each area imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for names in AREAS.values() for name in names)

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        """As ``click.Group.main``; for a command that runs programs, their warm interpreter (``warm``) is started
        first, before the area and the course load: its ~0.1 s of imports overlap ours on another core."""
        argv = sys.argv[1:] if args is None else list(args)
        if argv[:1] and argv[0] in RUNS_PROGRAMS and "--help" not in argv:
            from coursekit._judge import environment, warm

            warm.prestart(sys.executable, environment.unsandboxed())
        return super().main(args, *rest, **options)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            area = next((module for module, names in AREAS.items() if cmd_name in names), None)
            if area is None:
                return None
            importlib.import_module(area).register(self)
            if cmd_name not in self.commands:
                raise RuntimeError(f"{area}.register did not add the command {cmd_name!r} that "
                                   f"coursekit.cli.AREAS lists for it")
        return self.commands[cmd_name]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each command with its first sentence whole, wrapped under itself: click's default cuts it to the
        width left on one line (``Grade exercises: all of them, or those named (ids,...``)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=SHORT_HELP_LIMIT)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=AreaGroup)
@click.version_option(package_name="coursekit")
def main() -> None:
    """Concurrency course kit: exercises graded on virtual time."""
