"""A click group with a default command: ``course grade SUBMISSIONS`` and ``course grade merge ...`` side by side.

``course grade`` grew a subcommand (``merge``) after years of ``course grade SUBMISSIONS --out RESULTS``; a plain
group would break every script that grades a class.  This group runs its default command whenever the first
argument names no subcommand (a folder name, or an option such as ``--out``), and its ``--help`` lists the default
command's options beside the subcommands.  A submissions folder literally named like a subcommand is reached as
``course grade run merge`` (or ``./merge``).
"""

from __future__ import annotations

from typing import Any

import click


class DefaultGroup(click.Group):
    """A group whose ``default`` subcommand runs when the first argument is not a subcommand's name."""

    def __init__(self, *args: Any, default: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = default

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default, *args]
        return super().parse_args(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        command = self.commands.get(self.default)
        if command is None:
            raise RuntimeError(f"{ctx.command_path}: the default command {self.default!r} is not one of its commands")
        sub = click.Context(command, info_name=self.default, parent=ctx)
        rows = [row for param in command.get_params(sub) if (row := param.get_help_record(sub)) is not None]
        with formatter.section(f"Options of {ctx.command_path} [{self.default}] SUBMISSIONS (the default)"):
            formatter.write_dl(rows)
