"""What a run's environment says: the variables every run gets, and the whole environment of an unsandboxed run.

Why apart: the command line starts the warm interpreter of its runs (``warm``) before it loads anything else, so
that the interpreter's imports overlap the command's own.  That needs the runs' environment, exactly as the runs
will have it (a zygote serves one environment only), and nothing heavier than this module to compute it.  Imports
only the standard library.
"""

from __future__ import annotations

import os
from pathlib import Path

RUN_ENV = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8",
           "MALLOC_ARENA_MAX": "2"}
"""What every run's environment says, sandboxed or not.  ``MALLOC_ARENA_MAX``: glibc gives each new thread a malloc
arena that reserves 64 MiB of address space, up to eight per core, so a program with a few dozen threads (an
executor never shut down, one thread per item) passed the run's address-space limit and could start no more
threads, which CPython on an ordinary machine never refuses."""

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The ``coursekit`` package an unsandboxed run imports (its parent goes on the run's ``PYTHONPATH``)."""


def unsandboxed() -> dict[str, str]:
    """An unsandboxed run's environment (``course check``, ``pytest``): this process's, without its Python and kit
    settings, plus ``RUN_ENV`` and the kit on ``PYTHONPATH``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COURSEKIT_", "COV_CORE"))}
    env.update(RUN_ENV, PYTHONPATH=str(PACKAGE_DIR.parent))
    if os.environ.get("PYTHONUNBUFFERED"):
        env["PYTHONUNBUFFERED"] = os.environ["PYTHONUNBUFFERED"]
    return env
