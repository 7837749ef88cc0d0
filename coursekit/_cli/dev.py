"""`course` commands for this area (see coursekit/cli.py)."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this area's commands to the `course` group."""
