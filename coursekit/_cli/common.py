"""What every command area needs: finding the course the user is in."""

from __future__ import annotations

from pathlib import Path

import click

from coursekit.registry import Course, RegistryError, find_root, load_course


def current_course() -> Course:
    """The course whose ``course.toml`` is in the working directory or above it."""
    root = find_root(Path.cwd())
    if root is None:
        raise click.ClickException("no course.toml here or above: run this inside the course folder")
    try:
        return load_course(root)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
