"""The course folder's pytest setup: the course's plugin, and what a bare ``pytest`` runs.

``pytest exercises/`` grades the exercise files listed in course.toml (``coursekit.pytest_plugin``).  A learner
who types plain ``pytest`` in the course folder means the same thing, not the kit's own test suite (hundreds of
tests, minutes long): so ``pytest`` with no paths grades ``exercises/``, and says so in its header.  The kit's
own tests are ``python -m pytest`` (as README.md and ``.ci/run`` say): run as a module, with no paths, pytest
keeps ``testpaths`` from pyproject.toml.  Any path given on the command line is run as given.
"""

from __future__ import annotations

import sys

import pytest

pytest_plugins = ["coursekit.pytest_plugin"]


def _bare_pytest_command(config: pytest.Config) -> bool:
    """``pytest`` typed with no paths (not ``python -m pytest``, not ``pytest tests/``)."""
    main = sys.modules.get("__main__")
    as_module = getattr(getattr(main, "__spec__", None), "name", "") == "pytest.__main__"
    source = config.args_source
    bare = source is pytest.Config.ArgsSource.TESTPATHS or (
        source is pytest.Config.ArgsSource.INVOCATION_DIR and config.invocation_params.dir == config.rootpath)
    return bare and not as_module


def pytest_configure(config: pytest.Config) -> None:
    exercises = config.rootpath / "exercises"
    if _bare_pytest_command(config) and exercises.is_dir():
        config.args[:] = [str(exercises)]
        config.stash[_students_key] = True


_students_key = pytest.StashKey[bool]()


def pytest_report_header(config: pytest.Config) -> str | None:
    if config.stash.get(_students_key, False):
        return "grading exercises/ (plain `pytest` in the course folder); the kit's own tests: python -m pytest"
    return None
